#pragma once
// A cancel flag shared between the party that may cancel (a client disconnect, shutdown) and
// the work that must stop. Cheap to copy; cancelling is idempotent and thread-safe.
#include <atomic>
#include <memory>

namespace rtts {

class cancel_token {
public:
  cancel_token() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() const noexcept { flag_->store(true, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return flag_->load(std::memory_order_relaxed); }

private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

} // namespace rtts
