// SmallValues: a vector of Values that keeps up to six elements inline, so
// the argument lists and composite literals built during evaluation do not
// allocate in the common case.
#pragma once

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

#include "policy/value.h"

namespace wartburg::eval {

class SmallValues {
 public:
  SmallValues() = default;
  SmallValues(const SmallValues&) = delete;
  SmallValues& operator=(const SmallValues&) = delete;
  ~SmallValues() { clear(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Value* data() { return heap_.empty() ? inline_ptr() : heap_.data(); }
  const Value* data() const { return heap_.empty() ? inline_ptr() : heap_.data(); }
  Value& operator[](size_t i) { return data()[i]; }
  const Value& operator[](size_t i) const { return data()[i]; }
  const Value* begin() const { return data(); }
  const Value* end() const { return data() + size_; }
  void reserve(size_t) {}

  void push_back(const Value& v) {
    if (heap_.empty() && size_ < kInline) {
      new (inline_ptr() + size_) Value(v);
    } else {
      spill();
      heap_.push_back(v);
    }
    ++size_;
  }
  void pop_back() {
    --size_;
    if (heap_.empty()) {
      inline_ptr()[size_].~Value();
    } else {
      heap_.pop_back();
    }
  }
  void resize_down(size_t n) {
    while (size_ > n) pop_back();
  }
  void clear() { resize_down(0); }
  std::vector<Value> to_vector() const { return std::vector<Value>(begin(), end()); }

 private:
  static constexpr size_t kInline = 6;
  Value* inline_ptr() { return std::launder(reinterpret_cast<Value*>(buf_)); }
  const Value* inline_ptr() const { return std::launder(reinterpret_cast<const Value*>(buf_)); }
  // moves the inline elements to the heap vector once the inline space is full
  void spill() {
    if (!heap_.empty() || size_ == 0) {
      if (heap_.empty() && size_ == 0) heap_.reserve(kInline * 2);
      return;
    }
    heap_.reserve(size_ * 2);
    for (size_t i = 0; i < size_; ++i) {
      heap_.push_back(std::move(inline_ptr()[i]));
      inline_ptr()[i].~Value();
    }
  }

  alignas(Value) unsigned char buf_[kInline * sizeof(Value)];
  size_t size_ = 0;
  std::vector<Value> heap_;
};

}  // namespace wartburg::eval
