#include "golden_model/io/fashion_mnist.hpp"

namespace eligo::io {

bool have_fashion_mnist(const std::string& dir) {
  for (const char* stem : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
    if (find_idx_file(dir, stem).empty()) return false;
  }
  return true;
}

FashionMnist load_fashion_mnist(int n_train, int n_test, const std::string& dir) {
  const LabelledImages tr = read_mnist_split(dir, true);
  const LabelledImages te = read_mnist_split(dir, false);
  FashionMnist d;
  d.train = fl::make_image_data(tr.pixels, tr.labels, tr.rows * tr.cols, n_train);
  d.test = fl::make_image_data(te.pixels, te.labels, te.rows * te.cols, n_test);
  return d;
}

}  // namespace eligo::io
