#!/usr/bin/python3
"""The spec_generated check itself (CTest spec_generator_test): on a copy of the repository's spec,
generated files and register logic, a register added to spec/chip.toml but not generated makes
`gen_chip_spec.py --check` fail naming every generated file; once generated, the check still fails
until the RTL and the model implement it; a malformed register table is refused (exit status 2).
"""
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_chip_spec.py"
FILES = ["spec/chip.toml", "rtl/eligo_pkg.sv", "golden_model/chip/spec.hpp", "docs/chip_spec.md",
         "rtl/apb_regs.sv", "golden_model/chip/apb_regs.cpp", "golden_model/chip/core.cpp"]
NEW_REGISTER = """
[[registers]]
name = "NEW_REG"
addr = 0x0B4
access = "RW"
bits = 8
reset = 3
what = "a register added to the table"
"""


class GenChipSpecTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        for f in FILES:
            (self.root / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / f, self.root / f)

    def tearDown(self):
        self.tmp.cleanup()

    def run_gen(self, *args):
        return subprocess.run([sys.executable, str(SCRIPT), "--root", str(self.root), *args],
                              capture_output=True, text=True)

    def add_to_registers(self, text):
        toml = self.root / "spec" / "chip.toml"
        spec = toml.read_text()
        at = spec.index('[[registers]]\nname = "TARGET"\n')  # the registers are in address order
        toml.write_text(spec[:at] + text.lstrip("\n") + "\n" + spec[at:])

    def test_committed_files_pass(self):
        r = self.run_gen("--check")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_register_added_but_not_generated_fails(self):
        self.add_to_registers(NEW_REGISTER)
        r = self.run_gen("--check")
        self.assertEqual(r.returncode, 1)
        for f in ["rtl/eligo_pkg.sv", "golden_model/chip/spec.hpp", "docs/chip_spec.md"]:
            self.assertIn(f, r.stderr)

    def test_register_generated_but_not_implemented_fails(self):
        self.add_to_registers(NEW_REGISTER)
        self.assertEqual(self.run_gen().returncode, 0)
        pkg = (self.root / "rtl" / "eligo_pkg.sv").read_text()
        self.assertIn("localparam logic [11:0] REG_NEW_REG = 12'h0B4;", pkg)
        self.assertIn("localparam logic [31:0] REG_NEW_REG_RESET = 32'h00000003;", pkg)
        self.assertIn("REG_NEW_REG: rf_write[RF_NEW_REG_OFS +: REG_NEW_REG_BITS]", pkg)
        hpp = (self.root / "golden_model" / "chip" / "spec.hpp").read_text()
        self.assertIn("{\"NEW_REG\", REG_NEW_REG, 1, Access::RW, REG_NEW_REG_RESET,", hpp)
        r = self.run_gen("--check")
        self.assertEqual(r.returncode, 1)
        self.assertIn("register NEW_REG is not implemented in rtl/apb_regs.sv (no RF_NEW_REG_OFS)", r.stderr)
        self.assertIn("register NEW_REG is not implemented in golden_model/chip (no Reg::NEW_REG)", r.stderr)

    def test_malformed_tables_are_refused(self):
        bad = {
            "overlapping address": NEW_REGISTER.replace("0x0B4", "0x0AC"),
            "unaligned address": NEW_REGISTER.replace("0x0B4", "0x0B5"),
            "reset too wide": NEW_REGISTER.replace("reset = 3", "reset = 256"),
            "unknown access": NEW_REGISTER.replace('access = "RW"', 'access = "RX"'),
            "overlapping fields": NEW_REGISTER.replace("bits = 8\nreset = 3\n", "") +
            'fields = [{ name = "A", lsb = 0, bits = 2, what = "" }, { name = "B", lsb = 1, what = "" }]\n',
        }
        for what, text in bad.items():
            with self.subTest(what):
                shutil.copy(ROOT / "spec" / "chip.toml", self.root / "spec" / "chip.toml")
                self.add_to_registers(text)
                r = self.run_gen("--check")
                self.assertEqual(r.returncode, 2, r.stderr)


if __name__ == "__main__":
    unittest.main()
