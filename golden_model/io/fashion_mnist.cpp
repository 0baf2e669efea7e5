#include "golden_model/io/fashion_mnist.hpp"

namespace eligo::io {

FashionMnist load_fashion_mnist(int n_train, int n_test, const std::string& dir) {
  const LabelledImages tr = read_mnist_split(dir, true);
  const LabelledImages te = read_mnist_split(dir, false);
  FashionMnist d;
  d.train = fl::make_image_data(tr.pixels, tr.labels, tr.rows * tr.cols, n_train);
  d.test = fl::make_image_data(te.pixels, te.labels, te.rows * te.cols, n_test);
  return d;
}

}  // namespace eligo::io
