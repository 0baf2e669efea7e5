// A verilated model's whole state as bytes in memory (Verilator --savable): the same framing as
// VerilatedSave / VerilatedRestore (header, the model's __Vserialize, trailer), into and out of a
// std::string instead of a file, for the co-simulation's checkpoints (CcEngine::save_state,
// docs/runs.md). The generated code checks a per-design value when it restores
// (readAssert: another design aborts the process), so callers check first that the bytes were
// saved by a model of the same name (Cosim::restore_state).
#pragma once

#include <verilated_save.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

namespace eligo::cosim {

class StringSave final : public VerilatedSerialize {
 public:
  StringSave() {
    m_isOpen = true;
    m_filename = "(memory)";
    header();
  }
  ~StringSave() override = default;
  StringSave(const StringSave&) = delete;
  StringSave& operator=(const StringSave&) = delete;
  void flush() override {
    out_.append(reinterpret_cast<const char*>(m_bufp), static_cast<size_t>(m_cp - m_bufp));
    m_cp = m_bufp;
  }
  void close() override { flush(); }
  // The bytes, with the trailer; the object is not used afterwards.
  std::string finish() {
    trailer();
    flush();
    m_isOpen = false;
    return std::move(out_);
  }

 private:
  std::string out_;
};

class StringRestore final : public VerilatedDeserialize {
 public:
  explicit StringRestore(const std::string& bytes) : in_(bytes) {
    m_isOpen = true;
    m_filename = "(checkpoint)";
    m_endp = m_bufp;
    header();
  }
  ~StringRestore() override = default;
  StringRestore(const StringRestore&) = delete;
  StringRestore& operator=(const StringRestore&) = delete;
  // Checks the trailer (a model that read more or less than was saved fails here).
  void finish() {
    trailer();
    m_isOpen = false;
  }
  // As VerilatedRestore::fill: the unread bytes moved down, then the buffer filled from the
  // string, and zeros past its end (readers do not check for the end themselves).
  void fill() override {
    uint8_t* rp = m_bufp;
    for (uint8_t* sp = m_cp; sp < m_endp; *rp++ = *sp++) {
    }
    m_endp = m_bufp + (m_endp - m_cp);
    m_cp = m_bufp;
    const size_t room = static_cast<size_t>(m_bufp + bufferSize() - m_endp);
    const size_t n = std::min(room, in_.size() - at_);
    std::memcpy(m_endp, in_.data() + at_, n);
    at_ += n;
    m_endp += n;
    while (m_endp < m_bufp + bufferSize()) *m_endp++ = '\0';
  }

 private:
  const std::string& in_;
  size_t at_ = 0;
};

}  // namespace eligo::cosim
