#!/usr/bin/python3
"""Writes the small reference .npy/.npz files used by npy_test.cpp, with real numpy.

Run from anywhere:  /usr/bin/python3 tests/golden_model/io/make_npy_fixtures.py
The outputs are committed under tests/golden_model/io/fixtures/ (tests never call python).
The expected values are restated in npy_test.cpp; keep the two in sync.
"""
import io
import os
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def path(name):
    return os.path.join(OUT, name)


def save_versioned(name, arr, version):
    with open(path(name), "wb") as f:
        np.lib.format.write_array(f, arr, version=version)


def main():
    os.makedirs(OUT, exist_ok=True)
    i64 = np.iinfo(np.int64)

    # float32, Fortran order: a[i, j] = float32(i*4 + j) * float32(0.1)
    f4 = np.arange(12, dtype=np.float32).reshape(3, 4) * np.float32(0.1)
    np.save(path("f4_fortran.npy"), np.asfortranarray(f4))
    # float64, Fortran order, 3-D: a[i, j, k] = i*12 + j*4 + k
    np.save(path("f8_fortran_3d.npy"), np.asfortranarray(np.arange(24.0).reshape(2, 3, 4)))
    np.save(path("i8.npy"), np.array([[i64.min, -2**53, -1], [0, 2**53, i64.max]], dtype="<i8"))
    np.save(path("b1.npy"), np.array([True, False, True, True, False]))
    np.save(path("be_f8.npy"), np.array([[1.5, -0.0], [np.pi, 1e-310]], dtype=">f8"))
    np.save(path("be_f4.npy"), np.array([0.1, -2.5, np.inf], dtype=">f4"))
    np.save(path("scalar.npy"), np.float64(3.25))  # 0-d
    save_versioned("v2.npy", np.arange(6.0).reshape(2, 3), (2, 0))
    save_versioned("v3.npy", np.arange(6.0).reshape(2, 3), (3, 0))

    ints = {}
    for t in ("i1", "i2", "i4", "u1", "u2", "u4", "u8"):
        info = np.iinfo(t)
        ints[t] = np.array([info.min, info.min // 2 + 1, 0, 1, info.max], dtype="<" + t)
    np.savez(path("ints.npz"), **ints)

    w_in = np.arange(6.0).reshape(2, 3) * 0.5 - 1.0
    bias = np.array([0.25, -1.0, 3.5], dtype=np.float32)
    np.savez(path("savez.npz"), W_in=w_in, bias=bias)
    np.savez_compressed(path("savez_compressed.npz"), W_in=w_in, bias=bias)

    # A valid zip whose member is a truncated .npy (CRC fine, content bad).
    buf = io.BytesIO()
    np.save(buf, np.arange(4.0))
    with zipfile.ZipFile(path("bad_member.npz"), "w") as z:
        z.writestr("x.npy", buf.getvalue()[:-8])


if __name__ == "__main__":
    main()
