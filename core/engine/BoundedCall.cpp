#include "core/engine/BoundedCall.h"

#include <future>
#include <memory>
#include <system_error>
#include <thread>

namespace liverack::core {

bool callWithin(std::chrono::milliseconds bound, std::function<void()> work) {
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    try {
        std::thread([work = std::move(work), done]() mutable {
            work();
            done->set_value();
        }).detach();
    } catch (const std::system_error&) {
        return false;  // no thread to spare: the caller treats it as a call that did not return
    }
    return finished.wait_for(bound) == std::future_status::ready;
}

}  // namespace liverack::core
