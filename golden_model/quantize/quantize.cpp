#include "golden_model/quantize/quantize.hpp"

#include <cmath>
#include <stdexcept>

#include "golden_model/tasks/rng.hpp"

namespace eligo::chip {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("quantize: " + what);
}

struct ErrAcc {
  QuantError e;
  double sq = 0.0, ref = 0.0;
  ErrAcc(std::string q, const spec::Format& f) { e.quantity = std::move(q); e.format = f.name; }
  void add(double x, double q, bool saturated) {
    ++e.n;
    e.saturated += saturated ? 1 : 0;
    e.max_abs = std::max(e.max_abs, std::abs(q - x));
    sq += (q - x) * (q - x);
    ref += x * x;
  }
  QuantError done() {
    e.rms = e.n ? std::sqrt(sq / static_cast<double>(e.n)) : 0.0;
    e.rel_rms = ref > 0 ? std::sqrt(sq / ref) : 0.0;
    return e;
  }
};

// Quantises x to format f, recording the error.
int64_t q(std::vector<QuantError>& errs, const std::string& name, const spec::Format& f, double x) {
  ErrAcc acc(name, f);
  const int64_t raw = from_real(f, x);
  acc.add(x, to_real(f, raw), std::abs(std::ldexp(x, f.frac)) > static_cast<double>(f.max_raw()));
  errs.push_back(acc.done());
  return raw;
}

// The value of a per-neuron constant over neurons [lo, hi), which must all be equal.
double uniform_over(const Eigen::VectorXd& v, int lo, int hi, const char* what) {
  for (int j = lo + 1; j < hi; ++j) {
    require(v(j) == v(lo), std::string(what) + " differs within a population (the chip has one register per population)");
  }
  return v(lo);
}

PopulationRegs population(std::vector<QuantError>& errs, const fl::Neurons& n, int lo, int hi,
                          const std::string& name, bool alif) {
  PopulationRegs p;
  if (lo >= hi) return p;
  const double thr = uniform_over(n.thr, lo, hi, "thr");
  p.alpha = q(errs, name + ".alpha", spec::COEF, uniform_over(n.alpha, lo, hi, "alpha"));
  p.zeta = q(errs, name + ".zeta", spec::COEF, uniform_over(n.zeta, lo, hi, "zeta"));
  p.thr = q(errs, name + ".thr", spec::V, thr);
  p.inv_thr = q(errs, name + ".inv_thr", spec::INV_THR, 1.0 / thr);
  p.psi_scale = q(errs, name + ".psi_scale", spec::COEF, n.gamma / thr);
  const int nref = n.n_ref(lo);
  for (int j = lo; j < hi; ++j) require(n.n_ref(j) == nref, "n_ref differs within a population");
  require(nref >= 0 && nref <= spec::REF.max_raw(),
          name + ".n_ref = " + std::to_string(nref) + " (allowed: 0 .. " + std::to_string(spec::REF.max_raw()) + ")");
  p.n_ref = nref;
  if (alif) {
    p.rho = q(errs, name + ".rho", spec::COEF, uniform_over(n.rho, lo, hi, "rho"));
    p.beta = q(errs, name + ".beta", spec::COEF, uniform_over(n.beta, lo, hi, "beta"));
  }
  return p;
}

// Weight matrix (rows = post, cols = pre in fl::Weights) -> words at address(pre, post).
void weights_to_words(std::vector<QuantError>& errs, const std::string& name,
                      const Eigen::MatrixXd& w, std::vector<uint64_t>& words,
                      const std::function<int64_t(int, int)>& address, bool no_diagonal) {
  ErrAcc acc(name, spec::W_MAG);
  words.assign(static_cast<size_t>(w.size()), 0);
  for (int post = 0; post < w.rows(); ++post) {
    for (int pre = 0; pre < w.cols(); ++pre) {
      const double x = (no_diagonal && pre == post) ? 0.0 : w(post, pre);
      WeightWord ww;
      ww.active = x != 0.0;
      ww.negative = x < 0.0;
      ww.mag = from_real(spec::W_MAG, std::abs(x));
      acc.add(x, static_cast<double>(ww.negative ? -1 : 1) * to_real(spec::W_MAG, ww.mag),
              std::ldexp(std::abs(x), spec::W_MAG.frac) > static_cast<double>(spec::W_MAG.max_raw()));
      words[static_cast<size_t>(address(pre, post))] = ww.pack();
    }
  }
  errs.push_back(acc.done());
}

// DEEP R initial state of one matrix's words: exactly K allowed words active (uniform random
// set), the others dormant with magnitude 0; every word keeps a sign (random for w = 0).
int64_t sparsify(std::vector<uint64_t>& words, const std::function<bool(int64_t)>& allowed_at,
                 double connectivity, double gain, tasks::Rng& rng) {
  std::vector<int64_t> allowed;
  for (int64_t a = 0; a < static_cast<int64_t>(words.size()); ++a) {
    if (allowed_at(a)) allowed.push_back(a);
  }
  const int64_t k = std::llround(connectivity * static_cast<double>(allowed.size()));
  for (int64_t a = 0; a < static_cast<int64_t>(words.size()); ++a) {
    WeightWord w = WeightWord::unpack(words[static_cast<size_t>(a)]);
    if (!w.active && w.mag == 0) w.negative = rng.bernoulli(0.5);
    w.active = false;
    words[static_cast<size_t>(a)] = w.pack();
  }
  for (int64_t i = 0; i < k; ++i) {  // partial Fisher-Yates
    const int64_t r = i + rng.uniform_int(0, static_cast<int>(allowed.size() - 1 - static_cast<size_t>(i)));
    std::swap(allowed[static_cast<size_t>(i)], allowed[static_cast<size_t>(r)]);
    WeightWord w = WeightWord::unpack(words[static_cast<size_t>(allowed[static_cast<size_t>(i)])]);
    w.active = true;
    w.mag = std::min<int64_t>(std::llround(static_cast<double>(w.mag) * gain), spec::W_MAG.max_raw());
    words[static_cast<size_t>(allowed[static_cast<size_t>(i)])] = w.pack();
  }
  for (auto& word : words) {  // dormant words hold magnitude 0
    WeightWord w = WeightWord::unpack(word);
    if (!w.active) w.mag = 0;
    word = w.pack();
  }
  return k;
}

}  // namespace

ChipImage quantize(const fl::Neurons& n, const fl::Weights& w, const ChipOptions& o) {
  fl::check_shapes(n, w);
  require(n.spike_fn == fl::SpikeFn::Heaviside, "network.spike_fn must be heaviside on the chip");
  require(!n.discard_input_at_step0, "network.discard_input_at_step0 is not supported by the chip");
  ChipImage im;
  im.sizes = Sizes(n.n_in, n.n_rec, n.n_out, n.n_rec - n.n_lif, o.lanes, o.synapse_traces);
  auto& errs = im.errors;
  Regs& r = im.regs;
  r.lif = population(errs, n, 0, n.n_lif, "lif", false);
  r.alif = population(errs, n, n.n_lif, n.n_rec, "alif", true);
  r.kappa = q(errs, "kappa", spec::COEF, n.kappa);
  r.c_out = q(errs, "c", spec::COEF, n.c);
  r.spike_ge = n.spike_at_threshold;
  r.learn = o.learn;
  r.online = o.online;
  r.deepr = o.deepr;
  r.fb_symmetric = o.fb_symmetric;
  r.ts_budget = o.ts_budget;
  r.seed_upd = o.seed;
  r.seed_rwr = o.seed ^ 0x5A5A5A5Au;
  if (o.learn) {
    // Per matrix: lr = LR_*_MANT 2^-LR_*_SHIFT 2^(G.frac - W_MAG.frac)
    auto rate = [&errs](const char* name, double lr) {
      require(lr > 0, std::string("chip.lr (") + name + ") must be > 0 when learning");
      const double t = std::ldexp(lr, -(spec::G.frac - spec::W_MAG.frac));
      const int shift = static_cast<int>(std::floor(std::log2(65535.0 / t)));
      require(shift >= spec::UPD.frac && shift <= spec::LR_SHIFT.max_raw(),
              std::string("chip.lr (") + name + ") = " + std::to_string(lr) +
                  " does not fit LR_MANT 2^-LR_SHIFT (LR_SHIFT allowed: " + std::to_string(spec::UPD.frac) + " .. " +
                  std::to_string(spec::LR_SHIFT.max_raw()) + ")");
      LearningRate q;
      q.shift = shift;
      q.mant = std::min<int64_t>(std::llround(std::ldexp(t, shift)), spec::LR_MANT.max_raw());
      ErrAcc acc(std::string("lr_") + name, spec::LR_MANT);
      acc.add(lr, std::ldexp(static_cast<double>(q.mant), spec::G.frac - spec::W_MAG.frac - shift), false);
      errs.push_back(acc.done());
      return q;
    };
    r.lr_in = rate("w_in", o.rate(spec::Mem::W_IN));
    r.lr_rec = rate("w_rec", o.rate(spec::Mem::W_REC));
    r.lr_out = rate("w_out", o.rate(spec::Mem::W_OUT));
    r.err_clamp = o.err_clamp;
    r.upd_sign = o.upd_sign;
    r.trc_fact = o.trc_fact;
    if (o.adapt_block > 0) r.alif_rho_blk = chip::block_decay(r.alif.rho, o.adapt_block);
    if (o.err_clamp) {
      require(o.err_lo < o.err_hi, "chip.error.clamp: the lower bound must be below the upper");
      r.err_lo = q(errs, "err_lo", spec::Y, o.err_lo);
      r.err_hi = q(errs, "err_hi", spec::Y, o.err_hi);
    }
  }
  const int NI = n.n_in, NR = n.n_rec, NO = n.n_out;
  weights_to_words(errs, "w_in", w.w_in, im.w_in, [NR](int i, int j) { return static_cast<int64_t>(i) * NR + j; }, false);
  weights_to_words(errs, "w_rec", w.w_rec, im.w_rec, [NR](int i, int j) { return static_cast<int64_t>(i) * NR + j; }, true);
  weights_to_words(errs, "w_out", w.w_out, im.w_out, [NO](int j, int k) { return static_cast<int64_t>(j) * NO + k; }, false);
  {
    ErrAcc acc("b", spec::B);
    im.b_fb.assign(static_cast<size_t>(NR) * NO, 0);
    for (int j = 0; j < NR; ++j) {
      for (int k = 0; k < NO; ++k) {
        const double x = w.b_fb(j, k);
        const int64_t raw = from_real(spec::B, x);
        acc.add(x, to_real(spec::B, raw), std::abs(std::ldexp(x, spec::B.frac)) > static_cast<double>(spec::B.max_raw()));
        im.b_fb[static_cast<size_t>(j) * NO + k] = to_word(spec::B, raw);
      }
    }
    errs.push_back(acc.done());
  }
  if (o.deepr) {
    // One L1 and NOISE register serve W_IN and W_REC: DEEP R needs one rate for both.
    require(o.rate(spec::Mem::W_IN) == o.rate(spec::Mem::W_REC),
            "chip.lr: DEEP R needs one rate for W_IN and W_REC (its L1 and noise registers serve both)");
    const double lr = o.rate(spec::Mem::W_REC);
    require(o.connectivity > 0 && o.connectivity <= 1, "chip.connectivity must be in (0, 1]");
    require(o.l1 >= 0 && o.temperature >= 0, "chip.l1 and chip.temperature must be >= 0");
    tasks::Rng rng(o.seed);
    const double gain = o.scale_by_density ? 1.0 / std::sqrt(o.connectivity) : 1.0;
    Sizes s = im.sizes;
    r.k_in = sparsify(im.w_in, [](int64_t) { return true; }, o.connectivity, gain, rng);
    r.k_rec = sparsify(im.w_rec, [s](int64_t a) { return Core::allowed(s, spec::Mem::W_REC, a); },
                       o.connectivity, gain, rng);
    const double lsb_ext = std::ldexp(1.0, spec::W_MAG.frac + spec::UPD.frac);
    r.l1 = q(errs, "l1", spec::UPD, lr * o.l1 * lsb_ext / std::ldexp(1.0, spec::UPD.frac));
    r.noise = q(errs, "noise", spec::UPD,
                std::sqrt(3.0) * std::sqrt(2.0 * lr * o.temperature) * lsb_ext / std::ldexp(1.0, spec::UPD.frac));
  }
  (void)NI;
  return im;
}

void load_image(Core& core, const ChipImage& image) {
  auto put = [&core](spec::Mem m, const std::vector<uint64_t>& words) {
    Sram& s = core.mem(m);
    if (static_cast<int64_t>(words.size()) != s.depth()) {
      throw std::invalid_argument(std::string("load_image: ") + s.name() + " has " + std::to_string(s.depth()) +
                                  " words, the image " + std::to_string(words.size()));
    }
    for (int64_t a = 0; a < s.depth(); ++a) s.poke(a, words[static_cast<size_t>(a)]);
  };
  put(spec::Mem::W_IN, image.w_in);
  put(spec::Mem::W_REC, image.w_rec);
  put(spec::Mem::W_OUT, image.w_out);
  put(spec::Mem::B_FB, image.b_fb);
}

Core make_core(const ChipImage& image) {
  Core core(image.sizes, image.regs);
  load_image(core, image);
  return core;
}

fl::Weights chip_weights(const Core& core) {
  const Sizes& s = core.sizes();
  fl::Weights w;
  w.w_in.setZero(s.n_rec, s.n_in);
  w.w_rec.setZero(s.n_rec, s.n_rec);
  w.w_out.setZero(s.n_out, s.n_rec);
  w.b_fb.setZero(s.n_rec, s.n_out);
  auto val = [&core](spec::Mem m, int64_t a) {
    return to_real(spec::W_MAG, WeightWord::unpack(core.mem(m).peek(a)).value());
  };
  for (int j = 0; j < s.n_rec; ++j) {
    for (int i = 0; i < s.n_in; ++i) w.w_in(j, i) = val(spec::Mem::W_IN, static_cast<int64_t>(i) * s.n_rec + j);
    for (int i = 0; i < s.n_rec; ++i) w.w_rec(j, i) = val(spec::Mem::W_REC, static_cast<int64_t>(i) * s.n_rec + j);
    for (int k = 0; k < s.n_out; ++k) {
      const int64_t a = static_cast<int64_t>(j) * s.n_out + k;
      w.w_out(k, j) = val(spec::Mem::W_OUT, a);
      w.b_fb(j, k) = core.regs().fb_symmetric ? w.w_out(k, j) : to_real(spec::B, from_word(spec::B, core.mem(spec::Mem::B_FB).peek(a)));
    }
  }
  return w;
}

}  // namespace eligo::chip
