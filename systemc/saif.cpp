#include "systemc/saif.hpp"

#include <cctype>
#include <stdexcept>

namespace eligo::cosim {

namespace {

// Splits "TOP.eligo_core.g_mem[3].g_sram.u_sram" at the dots outside brackets.
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  int depth = 0;
  for (char c : path) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == '.' && depth == 0) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

struct Tree {
  std::vector<std::pair<std::string, uint64_t>> nets;
  std::map<std::string, Tree> children;
  std::vector<std::string> order;  // children in first-seen order
};

void write_tree(std::ostream& os, const std::string& name, const Tree& t, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  os << pad << "(INSTANCE " << saif_escape(name) << "\n";
  if (!t.nets.empty()) {
    os << pad << "  (NET\n";
    for (const auto& [n, tc] : t.nets) os << pad << "    (" << saif_escape(n) << " (TC " << tc << "))\n";
    os << pad << "  )\n";
  }
  for (const auto& c : t.order) write_tree(os, c, t.children.at(c), indent + 2);
  os << pad << ")\n";
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// ---- reader ----

struct Node {
  bool list = false;
  bool quoted = false;
  std::string atom;
  std::vector<Node> kids;
  size_t offset = 0;
};

[[noreturn]] void fail(size_t off, const std::string& what) {
  throw std::runtime_error("SAIF: " + what + " (at byte " + std::to_string(off) + ")");
}

class Reader {
 public:
  explicit Reader(const std::string& s) : s_(s) {}

  Node top() {
    skip();
    if (i_ >= s_.size() || s_[i_] != '(') fail(i_, "the file does not start with '('");
    Node n = list();
    skip();
    if (i_ != s_.size()) fail(i_, "text after the closing parenthesis of SAIFILE");
    return n;
  }

 private:
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  Node list() {
    Node n;
    n.list = true;
    n.offset = i_;
    ++i_;  // '('
    for (;;) {
      skip();
      if (i_ >= s_.size()) fail(n.offset, "unbalanced parentheses: '(' never closed");
      const char c = s_[i_];
      if (c == ')') {
        ++i_;
        return n;
      }
      if (c == '(') {
        n.kids.push_back(list());
      } else if (c == '"') {
        Node a;
        a.quoted = true;
        a.offset = i_;
        const size_t end = s_.find('"', i_ + 1);
        if (end == std::string::npos) fail(i_, "unterminated string");
        a.atom = s_.substr(i_ + 1, end - i_ - 1);
        i_ = end + 1;
        n.kids.push_back(a);
      } else {
        Node a;
        a.offset = i_;
        while (i_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[i_])) && s_[i_] != '(' &&
               s_[i_] != ')') {
          if (s_[i_] == '\\' && i_ + 1 < s_.size()) a.atom += s_[i_++];
          a.atom += s_[i_++];
        }
        n.kids.push_back(a);
      }
    }
  }

  const std::string& s_;
  size_t i_ = 0;
};

const std::string& keyword(const Node& n) {
  if (!n.list || n.kids.empty() || n.kids[0].list) fail(n.offset, "expected (KEYWORD ...)");
  return n.kids[0].atom;
}

uint64_t integer(const Node& n) {
  if (n.list || n.atom.empty()) fail(n.offset, "expected a non-negative integer");
  for (char c : n.atom) {
    if (!std::isdigit(static_cast<unsigned char>(c))) fail(n.offset, "expected a non-negative integer, got " + n.atom);
  }
  return std::stoull(n.atom);
}

void read_instance(const Node& n, const std::string& prefix, SaifFile& f) {
  if (n.kids.size() < 2 || n.kids[1].list) fail(n.offset, "INSTANCE without a name");
  const std::string path = (prefix.empty() ? "" : prefix + ".") + saif_unescape(n.kids[1].atom);
  for (size_t k = 2; k < n.kids.size(); ++k) {
    const Node& c = n.kids[k];
    const std::string& kw = keyword(c);
    if (kw == "INSTANCE") {
      read_instance(c, path, f);
    } else if (kw == "NET" || kw == "PORT") {
      for (size_t j = 1; j < c.kids.size(); ++j) {
        const Node& net = c.kids[j];
        if (!net.list || net.kids.empty() || net.kids[0].list) fail(net.offset, "expected (NAME (STATE n) ...)");
        std::map<std::string, uint64_t> states;
        for (size_t s = 1; s < net.kids.size(); ++s) {
          const Node& st = net.kids[s];
          const std::string& sk = keyword(st);
          if (st.kids.size() != 2) fail(st.offset, "state " + sk + " needs exactly one value");
          states[sk] = integer(st.kids[1]);
        }
        const std::string name = saif_unescape(net.kids[0].atom);
        if (!states.count("TC")) fail(net.offset, "net " + name + " has no TC");
        if (!f.nets.emplace(path + "." + name, states).second) fail(net.offset, "net " + path + "." + name + " twice");
      }
    } else {
      fail(c.offset, "unexpected " + kw + " in INSTANCE");
    }
  }
}

}  // namespace

std::string saif_escape(const std::string& id) {
  std::string o;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') o += '\\';
    o += c;
  }
  return o;
}

std::string saif_unescape(const std::string& id) {
  std::string o;
  for (size_t i = 0; i < id.size(); ++i) {
    if (id[i] == '\\' && i + 1 < id.size()) ++i;
    o += id[i];
  }
  return o;
}

void write_saif(std::ostream& os, const SaifHeader& h, const std::vector<TogglePoint>& points) {
  Tree root;
  for (const auto& p : points) {
    Tree* t = &root;
    for (const auto& part : split_path(p.instance)) {
      if (!t->children.count(part)) t->order.push_back(part);
      t = &t->children[part];
    }
    t->nets.emplace_back(p.signal, p.count);
  }
  os << "(SAIFILE\n"
     << "  (SAIFVERSION " << quoted("2.0") << ")\n"
     << "  (DIRECTION " << quoted("backward") << ")\n"
     << "  (DESIGN " << quoted(h.design) << ")\n"
     << "  (VENDOR " << quoted("eligo") << ")\n"
     << "  (PROGRAM_NAME " << quoted(h.program) << ")\n"
     << "  (VERSION " << quoted(h.version) << ")\n"
     << "  (DIVIDER / )\n"
     << "  (TIMESCALE 1 ns)\n"
     << "  (DURATION " << h.duration_ns << ")\n";
  for (const auto& c : root.order) write_tree(os, c, root.children.at(c), 2);
  os << ")\n";
}

SaifFile parse_saif(const std::string& text) {
  Reader r(text);
  const Node top = r.top();
  if (keyword(top) != "SAIFILE") fail(top.offset, "the top list is not SAIFILE");
  SaifFile f;
  for (size_t k = 1; k < top.kids.size(); ++k) {
    const Node& c = top.kids[k];
    const std::string& kw = keyword(c);
    if (kw == "INSTANCE") {
      read_instance(c, "", f);
      continue;
    }
    std::string v;
    for (size_t j = 1; j < c.kids.size(); ++j) {
      if (c.kids[j].list) fail(c.kids[j].offset, "nested list in header " + kw);
      v += (j > 1 ? " " : "") + c.kids[j].atom;
    }
    f.header[kw] = v;
  }
  for (const char* h : {"SAIFVERSION", "DIRECTION", "DESIGN", "DURATION", "TIMESCALE"}) {
    if (!f.header.count(h)) fail(0, std::string("header ") + h + " missing");
  }
  return f;
}

}  // namespace eligo::cosim
