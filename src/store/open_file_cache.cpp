#include "pc/store/open_file_cache.hpp"

#include <algorithm>

namespace pc::store {

OpenFileCache::OpenFileCache(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {}

void OpenFileCache::use(Member& member) {
    std::lock_guard lock(mutex_);
    if (auto it = where_.find(&member); it != where_.end()) {
        recent_.splice(recent_.begin(), recent_, it->second);
    } else {
        recent_.push_front(&member);
        where_.emplace(&member, recent_.begin());
    }
    // From the least recently used end; members in use stay and are passed over.
    auto it = recent_.end();
    while (recent_.size() > capacity_ && it != recent_.begin()) {
        --it;
        if (*it == &member || !(*it)->close_if_idle()) continue;
        ++evictions_;
        where_.erase(*it);
        it = recent_.erase(it);
    }
}

void OpenFileCache::forget(Member& member) {
    std::lock_guard lock(mutex_);
    if (auto it = where_.find(&member); it != where_.end()) {
        recent_.erase(it->second);
        where_.erase(it);
    }
}

std::size_t OpenFileCache::open_count() const {
    std::lock_guard lock(mutex_);
    return recent_.size();
}

std::size_t OpenFileCache::evictions() const {
    std::lock_guard lock(mutex_);
    return evictions_;
}

}  // namespace pc::store
