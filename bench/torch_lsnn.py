#!/usr/bin/python3
"""The eligo float LSNN (golden_model/float/lsnn.hpp) trained by BPTT, in PyTorch.

A reference point for the speed of eligo's BPTT: same dynamics, same sizes, same loss, same
optimiser, float64 on the CPU. It reads the network, task and training sections of an eligo run
configuration (JSON, docs/config.md) and times full training iterations (forward + backward +
Adam step), median over --iterations after --warmup iterations.

Dynamics (per neuron j, step t; LIF neurons first, then ALIF, as in lsnn.hpp):
  I(t) = W_in x(t) + W_rec z(t-1)                      (zero diagonal; I = 0 at t = 0 if
                                                        discard_input_at_step0)
  v(t) = alpha v(t-1) + zeta I(t) - thr z(t-1)         (reset by subtraction)
  a(t) = rho a(t-1) + z(t-1),  A(t) = thr + beta a(t)  (rho = beta = 0 for LIF)
  r = max(r-1, 0); z(t) = H(v - A) unless r > 0; r = n_ref after a spike
  psi(t) = gamma/thr max(0, 1 - |v - A|/thr), 0 while refractory (custom autograd.Function)
  y(t) = kappa y(t-1) + c W_out z(t)
Loss: cross-entropy (or MSE) over the last learning_window steps, scaled by 1/B (batch mean) and
1/LW (average_over_window), plus the firing-rate regulariser c_reg/2 sum_j (f_j - f0)^2.

Input: an evidence-accumulation-like Poisson raster drawn with numpy (same group layout, rates and
timeline as golden_model/tasks/evidence_accumulation.hpp; not the same random stream).

--case DIR writes one batch (inputs.npy (B,T,n_in), targets.npy (B,T,n_out)), the initial
weights (weights.npz: W_in, W_rec, W_out, B) and the PyTorch BPTT gradients at those weights
(torch_grads.npz: dW_in, dW_rec, dW_out, plus loss) so that a driver can run `eligo grad` on the
same data and compare (bench/bench_float.py does).

Usage: torch_lsnn.py --config FILE [--iterations 3] [--warmup 1] [--threads 2] [--json OUT]
                     [--case DIR] [--profile]
"""
import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import torch


# ---- configuration ----------------------------------------------------------------------------

def load_config(path):
    with open(path) as f:
        cfg = json.load(f)
    net = cfg["network"]
    task = cfg["task"]
    tr = cfg["train"]
    if net.get("surrogate", "piecewise_linear") != "piecewise_linear":
        sys.exit("torch_lsnn: only surrogate piecewise_linear is implemented")
    if task.get("type") != "evidence_accumulation":
        sys.exit("torch_lsnn: only task type evidence_accumulation is implemented")
    if tr.get("update", "per_batch") != "per_batch" or tr.get("stop_z_gradient", False):
        sys.exit("torch_lsnn: only per_batch updates without stop_z_gradient are implemented")
    return cfg


class Net:
    """Per-neuron constants, as Neurons::from() in lsnn.cpp computes them."""

    def __init__(self, cfg):
        net = cfg["network"]
        dt = float(net.get("dt_ms", 1.0))
        lif = net.get("lif", {})
        alif = net.get("alif", {})
        self.n_in = int(net.get("n_in", 40))
        self.n_out = int(net.get("n_out", 2))
        self.n_lif = int(lif.get("n", 50))
        self.n_alif = int(alif.get("n", 50))
        self.n_rec = self.n_lif + self.n_alif
        self.dt = dt
        input_one = net.get("input_scaling", "one") == "one"
        alpha, zeta, rho, beta, thr, n_ref = [], [], [], [], [], []
        for pop, n, is_alif in ((lif, self.n_lif, False), (alif, self.n_alif, True)):
            a = math.exp(-dt / float(pop.get("tau_m_ms", 20.0)))
            for _ in range(n):
                alpha.append(a)
                zeta.append(1.0 if input_one else 1.0 - a)
                rho.append(math.exp(-dt / float(pop.get("tau_a_ms", 2000.0))) if is_alif else 0.0)
                beta.append(float(pop.get("beta", 1.8)) if is_alif else 0.0)
                thr.append(float(pop.get("thr", 0.6)))
                n_ref.append(int(pop.get("n_ref", 5)))
        t = lambda v: torch.tensor(v, dtype=torch.float64)
        self.alpha, self.zeta, self.rho, self.beta, self.thr = map(t, (alpha, zeta, rho, beta, thr))
        self.n_ref = torch.tensor(n_ref, dtype=torch.int32)
        ro = net.get("readout", {})
        self.kappa = math.exp(-dt / float(ro.get("tau_ms", 20.0)))
        self.c = 1.0 if ro.get("scaling", "one_minus_kappa") == "one" else 1.0 - self.kappa
        self.gamma = float(net.get("gamma", 0.3))
        self.strict = net.get("spike_condition", ">=") == ">"
        self.discard0 = bool(net.get("discard_input_at_step0", False))


# ---- evidence-accumulation-like input ---------------------------------------------------------

def ea_T(task):
    return (task.get("n_cues", 7) * task.get("t_cue_spacing", 150) + task.get("t_delay", 1050)
            + task.get("t_recall", 150))


def make_ea_batch(task, n_in, dt_ms, B, rng):
    """x: (T, B, n_in) 0/1 float64, labels: (B,), with the group layout of the eligo task."""
    n_cues = int(task.get("n_cues", 7))
    t_cue = int(task.get("t_cue", 100))
    spacing = int(task.get("t_cue_spacing", 150))
    t_recall = int(task.get("t_recall", 150))
    p_cue = float(task.get("f_cue_hz", 40.0)) * dt_ms / 1000.0
    p_bg = float(task.get("f_background_hz", 10.0)) * dt_ms / 1000.0
    p_major = float(task.get("p_majority", 0.7))
    T = ea_T(task)
    q = n_in // 4
    prob = np.zeros((T, B, n_in))
    labels = rng.integers(0, 2, size=B)
    for b in range(B):
        while True:  # redraw until the label side has a strict majority
            on_label = rng.random(n_cues) < p_major
            if 2 * on_label.sum() > n_cues:
                break
        sides = np.where(on_label, labels[b], 1 - labels[b])
        for k, side in enumerate(sides):
            t0 = k * spacing
            prob[t0:t0 + t_cue, b, side * q:(side + 1) * q] = p_cue
    prob[T - t_recall:, :, 2 * q:3 * q] = p_cue
    prob[:, :, 3 * q:4 * q] = p_bg
    x = (rng.random(prob.shape) < prob).astype(np.float64)
    return x, labels


def init_weights(net, init, rng):
    """W ~ scale N(0,1)/sqrt(fan_in), W_rec diagonal zero (lsnn.cpp init_weights, other stream)."""
    s = lambda k: float(init.get(k, 1.0))
    w_in = rng.standard_normal((net.n_rec, net.n_in)) * s("w_in_scale") / math.sqrt(net.n_in)
    w_rec = rng.standard_normal((net.n_rec, net.n_rec)) * s("w_rec_scale") / math.sqrt(net.n_rec)
    np.fill_diagonal(w_rec, 0.0)
    w_out = rng.standard_normal((net.n_out, net.n_rec)) * s("w_out_scale") / math.sqrt(net.n_rec)
    b_fb = rng.standard_normal((net.n_rec, net.n_out)) * s("b_scale") / math.sqrt(net.n_rec)
    return w_in, w_rec, w_out, b_fb


# ---- the model --------------------------------------------------------------------------------

class SpikeFunction(torch.autograd.Function):
    """z = H(u) on non-refractory neurons (u = v - A); backward uses psi in place of dz/du."""

    @staticmethod
    def forward(ctx, u, active, thr, gamma, strict):
        ctx.save_for_backward(u, active, thr)
        ctx.gamma = gamma
        spike = (u > 0) if strict else (u >= 0)
        return (spike & active).to(u.dtype)

    @staticmethod
    def backward(ctx, grad_z):
        u, active, thr = ctx.saved_tensors
        psi = (ctx.gamma / thr) * torch.clamp(1.0 - u.abs() / thr, min=0.0) * active
        return grad_z * psi, None, None, None, None


class LSNN(torch.nn.Module):
    def __init__(self, net, w_in, w_rec, w_out):
        super().__init__()
        self.net = net
        self.w_in = torch.nn.Parameter(torch.tensor(w_in))
        self.w_rec = torch.nn.Parameter(torch.tensor(w_rec))
        self.w_out = torch.nn.Parameter(torch.tensor(w_out))
        self.register_buffer("offdiag", 1.0 - torch.eye(net.n_rec, dtype=torch.float64))

    def forward(self, x, lw):
        """x: (T, B, n_in). Returns y over the last lw steps (lw, B, n_out) and z (T, B, n_rec)."""
        n = self.net
        T, B, _ = x.shape
        zeta = n.zeta
        # Input currents of all steps in one product (zeta folded into the weights).
        w_in = self.w_in * zeta[:, None]
        i_in = (x.reshape(T * B, -1) @ w_in.t()).reshape(T, B, -1)
        if n.discard0:
            i_in = torch.cat([torch.zeros_like(i_in[:1]), i_in[1:]])
        w_rec_t = (self.w_rec * self.offdiag * zeta[:, None]).t()
        alpha, rho, beta, thr = n.alpha, n.rho, n.beta, n.thr
        v = torch.zeros(B, n.n_rec, dtype=torch.float64)
        a = torch.zeros_like(v)
        z = torch.zeros_like(v)
        r = torch.zeros(B, n.n_rec, dtype=torch.int32)
        zs = []
        # unbind once: indexing i_in[t] per step would make the backward pass O(T^2) (every
        # select's backward materialises a full-size zero gradient).
        for i_t in i_in.unbind(0):
            v = torch.addmm(i_t, z, w_rec_t) - thr * z + alpha * v
            a = torch.addcmul(z, rho, a)
            r = torch.clamp(r - 1, min=0)
            active = r == 0
            z = SpikeFunction.apply(v - torch.addcmul(thr, beta, a), active, thr, n.gamma, n.strict)
            r = torch.where(z > 0, n.n_ref, r)
            zs.append(z)
        Z = torch.stack(zs)  # (T, B, n_rec)
        # Leaky readout, only where the loss needs it: y(t) = c sum_{s<=t} kappa^(t-s) W_out z(s).
        zo = (Z.reshape(T * B, -1) @ self.w_out.t()).reshape(T, B * n.n_out)
        ts = torch.arange(T - lw, T, dtype=torch.float64)[:, None]
        ss = torch.arange(T, dtype=torch.float64)[None, :]
        lag = ts - ss
        K = torch.where(lag >= 0, n.c * n.kappa ** lag.clamp(min=0), torch.zeros(()))
        y = (K @ zo).reshape(lw, B, n.n_out)
        return y, Z


def objective(cfg, net, y, Z, labels, lw):
    """E = s * sum_b L_b + E_reg (objective.hpp); returns (E, task loss as eligo reports it)."""
    tr = cfg["train"]
    T, B, _ = Z.shape
    avg = bool(tr.get("average_over_window", False))
    s = (1.0 / B if tr.get("batch_reduction", "mean") == "mean" else 1.0) * (1.0 / lw if avg else 1.0)
    if tr.get("loss", "cross_entropy") == "cross_entropy":
        logp = torch.log_softmax(y, dim=-1)
        task_sum = -logp.gather(2, labels[None, :, None].expand(lw, B, 1)).sum()
    else:
        target = torch.nn.functional.one_hot(labels, net.n_out).to(y.dtype)
        task_sum = 0.5 * ((y - target) ** 2).sum()
    E = s * task_sum
    reg = tr.get("reg", {})
    c_reg = float(reg.get("c_reg", 0.0))
    if c_reg != 0.0:
        f0 = float(reg.get("f_target_hz", 10.0)) * net.dt / 1000.0
        if reg.get("rate", "per_batch") == "per_batch":
            f = Z.mean(dim=(0, 1))
            E = E + 0.5 * c_reg * ((f - f0) ** 2).sum()
        else:
            f = Z.mean(dim=0)  # (B, n_rec)
            E = E + s * 0.5 * c_reg * ((f - f0) ** 2).sum()
    reported = task_sum.detach() / B * (1.0 / lw if avg else 1.0)
    return E, float(reported)


def make_optimizer(cfg, params):
    opt = cfg["train"].get("optimizer", {})
    lr = float(opt.get("lr", 0.005))
    if opt.get("type", "adam") == "sgd":
        return torch.optim.SGD(params, lr=lr)
    return torch.optim.Adam(params, lr=lr, betas=(float(opt.get("beta1", 0.9)),
                                                  float(opt.get("beta2", 0.999))),
                            eps=float(opt.get("eps", 1e-8)))


def blas_libraries():
    """The BLAS/LAPACK shared objects this process has mapped (after a matrix product)."""
    import os
    torch.ones(8, 8, dtype=torch.float64) @ torch.ones(8, 8, dtype=torch.float64)
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                name = os.path.basename(path).lower()
                if path.startswith("/") and any(k in name for k in ("blas", "mkl", "lapack", "blis")):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


# ---- main -------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--iterations", type=int, default=3, help="timed iterations (median)")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--case", help="write one batch, the weights and the BPTT gradients here")
    ap.add_argument("--profile", action="store_true", help="print the top ops of one iteration")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    cfg = load_config(args.config)
    net = Net(cfg)
    task, tr = cfg["task"], cfg["train"]
    B = int(tr.get("batch_size", 32))
    T = ea_T(task)
    lw = int(tr.get("learning_window", 0)) or T
    rng = np.random.default_rng(args.seed)
    w_in, w_rec, w_out, b_fb = init_weights(net, cfg.get("init", {}), rng)
    model = LSNN(net, w_in, w_rec, w_out)
    trained = tr.get("trained", ["w_in", "w_rec", "w_out"])
    params = [getattr(model, k) for k in ("w_in", "w_rec", "w_out") if k in trained]
    for k in ("w_in", "w_rec", "w_out"):
        getattr(model, k).requires_grad_(k in trained)
    opt = make_optimizer(cfg, params)

    if args.case:
        import os
        os.makedirs(args.case, exist_ok=True)
        x, labels = make_ea_batch(task, net.n_in, net.dt, B, rng)
        xt, lt = torch.from_numpy(x), torch.from_numpy(labels)
        y, Z = model(xt, lw)
        E, loss = objective(cfg, net, y, Z, lt, lw)
        E.backward()
        targets = np.zeros((B, T, net.n_out))
        targets[np.arange(B), :, labels] = 1.0
        np.save(os.path.join(args.case, "inputs.npy"), np.ascontiguousarray(x.transpose(1, 0, 2)))
        np.save(os.path.join(args.case, "targets.npy"), targets)
        np.savez(os.path.join(args.case, "weights.npz"), W_in=w_in, W_rec=w_rec, W_out=w_out, B=b_fb)
        g = lambda p: (p.grad if p.grad is not None else torch.zeros_like(p)).numpy()
        np.savez(os.path.join(args.case, "torch_grads.npz"), dW_in=g(model.w_in),
                 dW_rec=g(model.w_rec), dW_out=g(model.w_out), loss=np.array(loss),
                 rate_hz=np.array(float(Z.mean()) * 1000.0 / net.dt))
        print(f"torch_lsnn: wrote case to {args.case} (loss {loss:.6g}, rate "
              f"{float(Z.mean()) * 1000.0 / net.dt:.2f} Hz)")
        return

    n_iter = args.warmup + args.iterations
    batches = [make_ea_batch(task, net.n_in, net.dt, B, rng) for _ in range(n_iter)]
    times, losses, rates, fwd, bwd, stp = [], [], [], [], [], []
    for it, (x, labels) in enumerate(batches):
        xt, lt = torch.from_numpy(x), torch.from_numpy(labels)
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        y, Z = model(xt, lw)
        E, loss = objective(cfg, net, y, Z, lt, lw)
        t1 = time.perf_counter()
        E.backward()
        t2 = time.perf_counter()
        opt.step()
        with torch.no_grad():
            model.w_rec.fill_diagonal_(0.0)
        t3 = time.perf_counter()
        if it >= args.warmup:
            times.append(t3 - t0)
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
            stp.append(t3 - t2)
        losses.append(loss)
        rates.append(float(Z.mean()) * 1000.0 / net.dt)

    res = {
        "T": T, "batch_size": B, "n_in": net.n_in, "n_rec": net.n_rec, "n_out": net.n_out,
        "threads": args.threads, "dtype": "float64", "torch": torch.__version__,
        "blas": blas_libraries(), "warmup": args.warmup, "iterations": args.iterations,
        "s_per_iteration": statistics.median(times), "s_per_iteration_all": times,
        "forward_s": statistics.median(fwd), "backward_s": statistics.median(bwd),
        "step_s": statistics.median(stp), "forward_s_all": fwd, "backward_s_all": bwd,
        "loss": losses, "firing_rate_hz": rates,
        "input_rate_hz": float(np.mean([b[0].mean() for b in batches])) * 1000.0 / net.dt,
    }
    print(f"torch_lsnn: T={T} B={B} {net.n_in}-{net.n_rec}-{net.n_out} float64, "
          f"{args.threads} threads: {res['s_per_iteration']:.3f} s/iteration (median of "
          f"{args.iterations}; forward {res['forward_s']:.3f} s, backward {res['backward_s']:.3f} s, "
          f"Adam {res['step_s']:.3f} s), "
          f"rate {np.mean(rates):.1f} Hz")
    print(f"torch_lsnn: BLAS: {', '.join(res['blas']) or 'unknown'}")
    if args.profile:
        x, labels = batches[-1]
        with torch.profiler.profile() as prof:
            opt.zero_grad(set_to_none=True)
            y, Z = model(torch.from_numpy(x), lw)
            E, _ = objective(cfg, net, y, Z, torch.from_numpy(labels), lw)
            E.backward()
            opt.step()
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
