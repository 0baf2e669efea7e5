// ReckOn cue-accumulation files: see reckon_cue.hpp for the format and the Batch layout.
#include "golden_model/tasks/reckon_cue.hpp"

#include "golden_model/io/config.hpp"

#include <algorithm>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace eligo::tasks {

const char* const kReckonTrainFile = "dataset_cueAcc_train.dat";
const char* const kReckonTestFile = "dataset_cueAcc_test.dat";
const char* const kReckonWeightFiles[3] = {"init_rand_weights_inp_cueAcc.dat", "init_rand_weights_rec_cueAcc.dat",
                                           "init_rand_weights_out_cueAcc.dat"};

namespace {

std::string slurp(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ReckonDataError(io::shown_path(path) + ": no such file" +
                          (std::filesystem::exists(path, ec) ? " (not a regular file)" : ""));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ReckonDataError(io::shown_path(path) + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text's lines (without "\n" or a trailing "\r"), numbered from 1.
class Lines {
 public:
  Lines(const std::string& text, std::string name) : text_(text), name_(std::move(name)) {}
  // The next non-blank line; false at the end of the text.
  bool next(std::string& line) {
    while (pos_ < text_.size()) {
      const size_t end = text_.find('\n', pos_);
      const size_t stop = end == std::string::npos ? text_.size() : end;
      line.assign(text_, pos_, stop - pos_);
      pos_ = end == std::string::npos ? text_.size() : end + 1;
      ++number_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      bool blank = true;
      for (char c : line) blank = blank && std::isspace(static_cast<unsigned char>(c));
      if (!blank) return true;
    }
    return false;
  }
  int number() const { return number_; }
  [[noreturn]] void fail(const std::string& problem) const {
    throw ReckonDataError(name_ + ": line " + std::to_string(number_) + ": " + problem);
  }
  [[noreturn]] void fail_at_end(const std::string& problem) const {
    throw ReckonDataError(name_ + ": end of file (line " + std::to_string(number_) + "): " + problem);
  }

 private:
  const std::string& text_;
  std::string name_;
  size_t pos_ = 0;
  int number_ = 0;
};

void skip_space(const std::string& s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

// An optionally signed decimal integer at s[i]; false if there is none or it does not fit in long.
bool parse_int(const std::string& s, size_t& i, long& out) {
  size_t j = i;
  bool neg = false;
  if (j < s.size() && (s[j] == '-' || s[j] == '+')) neg = s[j++] == '-';
  if (j >= s.size() || !std::isdigit(static_cast<unsigned char>(s[j]))) return false;
  long v = 0;
  for (; j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])); ++j) {
    if (v > 100000000000L) return false;
    v = v * 10 + (s[j] - '0');
  }
  out = neg ? -v : v;
  i = j;
  return true;
}

// "A" (one integer) or "A, B" (two), with optional blanks around them.
bool parse_ints(const std::string& line, int n, long* out) {
  size_t i = 0;
  for (int k = 0; k < n; ++k) {
    skip_space(line, i);
    if (k > 0) {
      if (i >= line.size() || line[i] != ',') return false;
      ++i;
      skip_space(line, i);
    }
    if (!parse_int(line, i, out[k])) return false;
  }
  skip_space(line, i);
  return i == line.size();
}

std::string in_quotes(const std::string& line) {
  return "'" + (line.size() > 40 ? line.substr(0, 40) + "..." : line) + "'";
}

}  // namespace

Batch parse_reckon_dataset(const std::string& text, const std::string& name, const ReckonFormat& f) {
  Lines lines(text, name);
  std::string line;
  if (!lines.next(line)) lines.fail_at_end("empty file (expected the number of samples on the first line)");
  // The samples are held as one dense raster (n_in + n_out doubles per step): at most
  // kReckonMaxRasterBytes, checked before anything is allocated from the count.
  const long per_sample = long(f.T) * (f.n_in + f.n_out) * long(sizeof(double));
  const long max_count = std::max(1L, std::min(100000L, long(kReckonMaxRasterBytes / size_t(std::max(1L, per_sample)))));
  long count = 0;
  if (!parse_ints(line, 1, &count) || count < 1 || count > max_count) {
    lines.fail("expected the number of samples (an integer in 1.." + std::to_string(max_count) + ": " +
               std::to_string(kReckonMaxRasterBytes >> 30) + " GiB of dense raster at most), got " + in_quotes(line));
  }
  const int S = static_cast<int>(count);
  const int header_line = lines.number();
  // Events per sample: (channel, step).
  std::vector<std::vector<std::pair<int, int>>> events(static_cast<size_t>(S));
  std::vector<int> labels(static_cast<size_t>(S), -1);
  const std::string range_ch = "0.." + std::to_string(f.n_in - 1);
  const std::string range_t = "0.." + std::to_string(f.T - 1);
  for (int s = 0; s < S; ++s) {
    const std::string which = "sample " + std::to_string(s + 1) + " of " + std::to_string(S);
    int last_t = 0;
    bool ended = false;
    while (!ended) {
      if (!lines.next(line)) {
        lines.fail_at_end(which + " has no end marker '-1, " + std::to_string(f.T) + "' (the header on line " +
                          std::to_string(header_line) + " announces " + std::to_string(S) + " samples, the file has " +
                          std::to_string(s) + " complete)");
      }
      long v[2] = {0, 0};
      if (!parse_ints(line, 2, v)) lines.fail("malformed line " + in_quotes(line) + " (expected 'CHANNEL, TIME')");
      if (v[0] == -1) {
        if (labels[static_cast<size_t>(s)] < 0) {
          lines.fail(which + " ends without a label marker '-2, LABEL'");
        }
        if (v[1] != f.T) {
          lines.fail("end marker at time " + std::to_string(v[1]) + " (allowed: '-1, " + std::to_string(f.T) + "')");
        }
        ended = true;
      } else if (v[0] == -2) {
        if (labels[static_cast<size_t>(s)] >= 0) lines.fail(which + " has a second label marker");
        if (v[1] != 0 && v[1] != 1) lines.fail("label " + std::to_string(v[1]) + " (allowed: 0, 1)");
        if (last_t >= f.label_step) {
          lines.fail("label marker after an event at time " + std::to_string(last_t) + " (the label applies at step " +
                     std::to_string(f.label_step) + ": earlier events must come before the marker)");
        }
        labels[static_cast<size_t>(s)] = static_cast<int>(v[1]);
        last_t = f.label_step;
      } else {
        if (v[0] < 0 || v[0] >= f.n_in) {
          lines.fail("channel " + std::to_string(v[0]) + " outside " + range_ch +
                     " (markers: -2 label, -1 end of sample)");
        }
        if (v[1] < 0 || v[1] >= f.T) lines.fail("time " + std::to_string(v[1]) + " outside " + range_t);
        if (v[1] < last_t) {
          lines.fail("time " + std::to_string(v[1]) + " goes backwards (after " + std::to_string(last_t) +
                     (labels[static_cast<size_t>(s)] >= 0 && last_t == f.label_step ? ", the label step" : "") + ")");
        }
        last_t = static_cast<int>(v[1]);
        events[static_cast<size_t>(s)].emplace_back(static_cast<int>(v[0]), last_t);
      }
    }
  }
  if (lines.next(line)) {
    lines.fail("data after the last of the " + std::to_string(S) + " samples announced on line " +
               std::to_string(header_line) + ": " + in_quotes(line));
  }
  Batch b;
  b.T = f.T;
  b.B = S;
  b.x = Eigen::MatrixXd::Zero(f.n_in, static_cast<Eigen::Index>(f.T) * S);
  b.target = Eigen::MatrixXd::Zero(f.n_out, static_cast<Eigen::Index>(f.T) * S);
  b.labels = labels;
  for (int s = 0; s < S; ++s) {
    for (const auto& [ch, t] : events[static_cast<size_t>(s)]) b.x(ch, static_cast<Eigen::Index>(t) * S + s) += 1.0;
    for (int t = f.label_step; t < f.T; ++t) b.target(labels[static_cast<size_t>(s)], static_cast<Eigen::Index>(t) * S + s) = 1.0;
  }
  return b;
}

Batch read_reckon_dataset(const std::string& path, const ReckonFormat& f) {
  return parse_reckon_dataset(slurp(path), path, f);
}

Eigen::VectorXi parse_int8_column(const std::string& text, const std::string& name, int count,
                                  std::vector<int>* line_of) {
  Lines lines(text, name);
  if (line_of) line_of->clear();
  Eigen::VectorXi q(count);
  std::string line;
  int n = 0;
  while (lines.next(line)) {
    long v = 0;
    if (!parse_ints(line, 1, &v)) lines.fail("malformed line " + in_quotes(line) + " (expected one integer in -128..127)");
    if (v < -128 || v > 127) lines.fail("weight " + std::to_string(v) + " outside -128..127");
    if (n == count) lines.fail("more than the expected " + std::to_string(count) + " weights");
    q(n++) = static_cast<int>(v);
    if (line_of) line_of->push_back(lines.number());
  }
  if (n != count) {
    lines.fail_at_end(std::to_string(n) + " weights, expected " + std::to_string(count) + " (file truncated?)");
  }
  return q;
}

Eigen::VectorXi read_int8_column(const std::string& path, int count, std::vector<int>* line_of) {
  return parse_int8_column(slurp(path), path, count, line_of);
}

ReckonWeights read_reckon_weights(const std::string& dir, const ReckonFormat& f) {
  const auto file = [&dir](int k) { return (std::filesystem::path(dir) / kReckonWeightFiles[k]).string(); };
  // Presynaptic-major lists -> postsynaptic rows.
  const auto matrix = [](const Eigen::VectorXi& q, int n_pre, int n_post) {
    Eigen::MatrixXd w(n_post, n_pre);
    for (int i = 0; i < n_pre; ++i) {
      for (int j = 0; j < n_post; ++j) w(j, i) = q(i * n_post + j);
    }
    return w;
  };
  ReckonWeights w;
  w.w_in = matrix(read_int8_column(file(0), f.n_in * f.n_rec), f.n_in, f.n_rec);
  std::vector<int> line_of;
  const Eigen::VectorXi rec = read_int8_column(file(1), f.n_rec * f.n_rec, &line_of);
  for (int i = 0; i < f.n_rec; ++i) {
    const int k = i * f.n_rec + i;
    if (rec(k) != 0) {
      throw ReckonDataError(file(1) + ": line " + std::to_string(line_of[static_cast<size_t>(k)]) + ": neuron " +
                            std::to_string(i) + " connects to itself with weight " + std::to_string(rec(k)) +
                            " (allowed: 0, the chip has no autapses)");
    }
  }
  w.w_rec = matrix(rec, f.n_rec, f.n_rec);
  w.w_out = matrix(read_int8_column(file(2), f.n_rec * f.n_out), f.n_rec, f.n_out);
  return w;
}

}  // namespace eligo::tasks
