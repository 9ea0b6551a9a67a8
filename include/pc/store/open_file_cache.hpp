// A bound on the files the store keeps open. Each machine holds two descriptors (collection and
// index) while it is in use; afterwards they stay open for the next batch, until more machines
// than the cache's capacity have open files: then the least recently used idle ones close theirs
// (and open them again on their next use). Without it, a pcd with more machines than its
// RLIMIT_NOFILE allows could neither take a connection nor start (issue 19, item 4).
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <unordered_map>

namespace pc::store {

class OpenFileCache {
public:
    // Something that holds open files: closes them when idle, on request.
    class Member {
    public:
        // Closes the member's files unless they are in use; false when in use (kept open).
        virtual bool close_if_idle() = 0;

    protected:
        Member() = default;
        ~Member() = default;
        Member(const Member&) = default;
        Member& operator=(const Member&) = default;
    };

    // `capacity`: how many members may keep their files open at once (at least 1). Members in
    // use are never closed, so the bound is exceeded while more than `capacity` are in use.
    explicit OpenFileCache(std::size_t capacity);

    // `member` has its files open and is using them: it becomes the most recently used, and the
    // least recently used idle others close theirs until at most `capacity` are open. Must not
    // be called while holding a lock that close_if_idle() takes.
    void use(Member& member);
    // `member` closed its files itself (or is going away): forget it.
    void forget(Member& member);

    std::size_t open_count() const;
    std::size_t capacity() const { return capacity_; }
    // How many times members were asked to close their files and did (for /metrics and tests).
    std::size_t evictions() const;

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Member*> recent_;  // most recently used first
    std::unordered_map<Member*, std::list<Member*>::iterator> where_;
    std::size_t evictions_ = 0;
};

}  // namespace pc::store
