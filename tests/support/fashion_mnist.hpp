// Tests on Fashion-MNIST (Debian's dataset-fashion-mnist, or ELIGO_FASHION_MNIST_DIR) skip when
// the files are absent: ELIGO_SKIP_WITHOUT_FASHION_MNIST(); at the top of the test body.
#pragma once

#include <gtest/gtest.h>

#include "golden_model/io/fashion_mnist.hpp"

#define ELIGO_SKIP_WITHOUT_FASHION_MNIST()                                                         \
  if (!::eligo::io::have_fashion_mnist())                                                          \
  GTEST_SKIP() << "Fashion-MNIST not found in " << ::eligo::io::fashion_mnist_dir()                \
               << " (apt install dataset-fashion-mnist, or set ELIGO_FASHION_MNIST_DIR)"
