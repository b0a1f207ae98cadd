// Outcome of an operation outside the audio thread: a value, or a sentence for a person saying
// what went wrong and what to do. Errors never leave `core` as exceptions.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace liverack::core {

struct Error {
    std::string message;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : value_(std::move(value)) {}              // NOLINT: implicit by design
    Result(Error error) : error_(std::move(error.message)) {}  // NOLINT

    bool ok() const noexcept { return value_.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
    T& value() & { return *value_; }
    const T& value() const& { return *value_; }
    T&& value() && { return std::move(*value_); }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }
    T& operator*() { return *value_; }
    const std::string& error() const noexcept { return error_; }

private:
    std::optional<T> value_;
    std::string error_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error.message)), ok_(false) {}  // NOLINT

    bool ok() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    const std::string& error() const noexcept { return error_; }

private:
    std::string error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace liverack::core
