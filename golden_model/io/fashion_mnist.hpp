// Fashion-MNIST (Debian's dataset-fashion-mnist, IDX files) as the float models' ImageData.
#pragma once

#include <string>

#include "golden_model/float/mlp.hpp"
#include "golden_model/io/idx.hpp"

namespace eligo::io {

struct FashionMnist {
  fl::ImageData train, test;  // 784 pixels per image, labels 0..9
};

// True if the four IDX files (train/t10k images and labels, plain or .gz) are in dir.
bool have_fashion_mnist(const std::string& dir = fashion_mnist_dir());

// The first n_train training and n_test test images (0 = all). Throws IoError if the files are
// missing or malformed.
FashionMnist load_fashion_mnist(int n_train = 0, int n_test = 0,
                                const std::string& dir = fashion_mnist_dir());

}  // namespace eligo::io
