// Checkpoints of float training (eligo train --checkpoint-every N, --resume DIR; docs/runs.md):
// DIR/checkpoint.npz holds the weights after `done` iterations (W_in, W_rec, W_out, B), the
// optimiser's state (m_* and v_* per matrix, adam = [beta1^t, beta2^t, steps]), the log of the
// iterations done (log: done x 5 = iteration, loss, reg_loss, accuracy, rate_hz) and the run's
// identity (run = [done, iterations, seed high 32 bits, seed low 32 bits, algo, config CRC-32]).
// Every value is a double stored as '<f8', so a resumed run continues with the same bits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden_model/chip/core.hpp"
#include "golden_model/experiment/chip_config.hpp"
#include "golden_model/experiment/train_test.hpp"
#include "golden_model/float/trainer.hpp"

namespace eligo::experiment {

// What a checkpoint must match to be resumed: the config file's bytes (CRC-32) and what the
// command line may override.
struct RunIdentity {
  uint32_t config_crc32 = 0;
  uint64_t seed = 0;
  int algo = 0;  // fl::Algo
  int iterations = 0;
};

constexpr const char* kCheckpointFile = "checkpoint.npz";

// Writes path (atomically: "<path>.tmp" and a rename).
void write_float_checkpoint(const std::string& path, const RunIdentity& id, const fl::Weights& w,
                            const fl::TrainResume& state);

// Reads path into w (shapes of n) and the returned state. Throws io::IoError naming the file and
// the key, or what differs from `id` (another config, seed, algo or iteration count).
fl::TrainResume read_float_checkpoint(const std::string& path, const RunIdentity& id, const fl::Neurons& n,
                                      fl::Weights& w);

// Checkpoints of chip training (eligo chip --checkpoint-every N batches, --resume DIR):
// DIR/checkpoint.bin holds a magic line, the run's identity, the train/test result after the
// batches done (learning curve and training tally, Tally as bytes), the chip's whole state
// (chip::ChipPort::save_state: the core's memories, registers, LFSRs and counters, and in a
// co-simulation the RTL's state and the scoreboard's counts too) and a CRC-32 of all of it. The
// batches are a function of the seed and the batch index, so a resumed run ends with the same
// bytes as one that never stopped.
constexpr const char* kChipCheckpointFile = "checkpoint.bin";

struct ChipIdentity {
  uint32_t config_crc32 = 0;  // of the chip config, the float config and the weights (or data) files
  int iterations = 0;
};

// The identity of a chip training run: the CRC-32 of its config files and weights and of `extra`
// (what else the command fixes, e.g. the co-simulation's engine), and its iteration count.
ChipIdentity chip_run_identity(const std::string& config_path, const ChipRun& r, int iterations,
                               const std::string& extra = "");

// chip_state: port.save_state() between two batches.
void write_chip_checkpoint(const std::string& path, const ChipIdentity& id, const TrainTestResult& so_far,
                           const std::string& chip_state);
// Restores the port's chip (made from the run's image) and returns the result so far. Throws
// io::IoError naming the file: not a checkpoint, corrupted (CRC), of another run, or of another
// chip or port.
TrainTestResult read_chip_checkpoint(const std::string& path, const ChipIdentity& id, chip::ChipPort& port);

// Checkpoints of epoch runs (ReckOn's benchmark, eligo chip --checkpoint-every N epochs): the
// same file name, framing and identity (iterations: the epoch count), with the training and test
// tallies of every epoch done and the core's state after the last of them (Core::save_state, taken
// between two epochs, where the core is idle). read_epochs_checkpoint returns the epochs done
// (1 .. id.iterations) and the core's state; throws io::IoError naming the file as above.
struct EpochTally {
  Tally train, test;
};
void write_epochs_checkpoint(const std::string& path, const ChipIdentity& id, const std::vector<EpochTally>& done,
                             const std::string& core_state);
std::vector<EpochTally> read_epochs_checkpoint(const std::string& path, const ChipIdentity& id, std::string& core_state);

}  // namespace eligo::experiment
