#include "pc/collect/rotating_collection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <vector>

#include "pc/core/error.hpp"
#include "pc/io/posix_file_system.hpp"
#include "pc/record/subsystem_names.hpp"

namespace pc::collect {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;

// Floor division: periods of timestamps before 1970 stay whole too.
std::int64_t period_of(std::int64_t timestamp, std::int64_t length) {
    return timestamp / length - (timestamp % length < 0 ? 1 : 0);
}

// "<stem>-" followed by a date: the files this collection was rotated into.
bool is_rotated_name(const std::string& name, const std::string& stem, const std::string& ext) {
    const std::string prefix = stem + "-";
    if (name.size() < prefix.size() + 10 + ext.size()) return false;
    if (name.compare(0, prefix.size(), prefix) != 0) return false;
    if (name.compare(name.size() - ext.size(), ext.size(), ext) != 0) return false;
    const std::string date = name.substr(prefix.size(), 10);  // YYYY-MM-DD
    for (std::size_t i = 0; i < date.size(); ++i) {
        const bool dash = i == 4 || i == 7;
        if (dash ? date[i] != '-' : (date[i] < '0' || date[i] > '9')) return false;
    }
    return true;
}

}  // namespace

std::filesystem::path rotated_name(const std::filesystem::path& collection,
                                   std::int64_t first_timestamp, RotateEvery every) {
    const auto t = static_cast<std::time_t>(first_timestamp);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char date[32];
    if (every == RotateEvery::day) {
        std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
    } else if (every == RotateEvery::hour) {
        std::strftime(date, sizeof date, "%Y-%m-%dT%H", &tm);
    } else {
        std::strftime(date, sizeof date, "%Y-%m-%dT%H%M%S", &tm);
    }
    const std::string name =
        collection.stem().string() + "-" + date + collection.extension().string();
    return collection.parent_path() / name;
}

std::optional<std::int64_t> first_timestamp(const std::filesystem::path& collection,
                                            io::FileSystem& file_system) {
    // Every line starts {"timestamp":N, (the fixed key order of the format): the first bytes
    // are enough.
    char head[64];
    std::size_t n = 0;
    try {
        n = file_system.open(collection, io::OpenMode::read)->read_at(head, sizeof head, 0);
    } catch (const std::system_error&) {
        return std::nullopt;
    }
    if (n == 0) return std::nullopt;
    const std::string_view text(head, n);
    constexpr std::string_view key = "{\"timestamp\":";
    if (text.substr(0, key.size()) != key) return std::nullopt;
    std::int64_t value = 0;
    std::size_t i = key.size();
    const bool negative = i < text.size() && text[i] == '-';
    if (negative) ++i;
    const std::size_t digits_start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && i - digits_start < 18; ++i)
        value = value * 10 + (text[i] - '0');
    if (i == digits_start || i >= text.size() || text[i] != ',') return std::nullopt;
    return negative ? -value : value;
}

RotatingCollection::RotatingCollection(std::filesystem::path path, RotateOptions options,
                                       std::string_view variable,
                                       std::shared_ptr<io::FileSystem> file_system)
    : path_(std::move(path)),
      options_(options),
      variable_(variable),
      file_system_(file_system ? std::move(file_system) : io::default_file_system()) {
    file_ = std::make_unique<CollectionFile>(path_, variable_, file_system_);
    if (file_->size() > 0) first_ = first_timestamp(path_, *file_system_);
    // A file whose first line cannot be read still rotates, dated by its last change.
    if (file_->size() > 0 && !first_) {
        std::error_code ec;
        const auto changed = std::filesystem::last_write_time(path_, ec);
        if (!ec) {
            const auto since_epoch = std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::file_clock::to_sys(changed).time_since_epoch());
            first_ = since_epoch.count();
        }
    }
}

bool RotatingCollection::due(std::int64_t timestamp) const {
    if (!first_ || file_->size() == 0) return false;
    switch (options_.every) {
        case RotateEvery::day:
            return period_of(timestamp, kDay) != period_of(*first_, kDay);
        case RotateEvery::hour:
            return period_of(timestamp, kHour) != period_of(*first_, kHour);
        case RotateEvery::size:
            return file_->size() >= options_.max_bytes;
        case RotateEvery::never:
            break;
    }
    return false;
}

void RotatingCollection::rotate() {
    file_->finish(std::chrono::milliseconds(0));  // fsync: the rotated file is complete
    std::filesystem::path target = rotated_name(path_, *first_, options_.every);
    for (int n = 1; file_system_->exists(target) && n < 1000; ++n) {
        target =
            path_.parent_path() / (rotated_name(path_, *first_, options_.every).stem().string() +
                                   "." + std::to_string(n) + path_.extension().string());
    }
    // One rename: a reader sees the whole file under one name or the other, never a part.
    try {
        file_system_->rename(path_, target);
    } catch (const std::system_error& e) {
        spdlog::error("{}: cannot rotate to {}: {}; appending to it instead", path_.string(),
                      target.string(), core::errno_text(e.code().value()));
        return;
    }
    const auto report = file_->report();
    closed_.delivered += report.delivered;
    closed_.failed += report.failed;
    file_.reset();
    try {
        file_system_->sync_directory(path_.parent_path().empty() ? std::filesystem::path(".")
                                                                 : path_.parent_path());
    } catch (const std::system_error& e) {
        spdlog::warn("{}: {}", path_.parent_path().string(), e.what());
    }
    ++rotations_;
    spdlog::info("rotated {} to {}", path_.string(), target.string());
    file_ = std::make_unique<CollectionFile>(path_, variable_, file_system_);
    first_.reset();
    prune();
}

void RotatingCollection::prune() const {
    if (options_.keep == 0) return;
    const auto dir = path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path();
    const std::string stem = path_.stem().string();
    const std::string ext = path_.extension().string();
    std::vector<std::filesystem::path> rotated;
    std::vector<io::DirectoryEntry> entries;
    try {
        entries = file_system_->list(dir);
    } catch (const std::system_error& e) {
        spdlog::warn("cannot list {} to remove old rotated files: {}", dir.string(), e.what());
        return;
    }
    for (const auto& entry : entries) {
        const std::string name = entry.path.filename().string();
        if (entry.regular_file && is_rotated_name(name, stem, ext)) rotated.push_back(entry.path);
    }
    if (rotated.size() <= options_.keep) return;
    // Dates sort as text (a ".N" twin of the same date sorts next to its original).
    std::sort(rotated.begin(), rotated.end());
    for (std::size_t i = 0; i + options_.keep < rotated.size(); ++i) {
        try {
            if (file_system_->remove(rotated[i])) {
                spdlog::info("removed {} (PCC_KEEP={})", rotated[i].string(), options_.keep);
            }
        } catch (const std::system_error& e) {
            spdlog::warn("cannot remove {}: {}", rotated[i].string(),
                         core::errno_text(e.code().value()));
        }
    }
}

void RotatingCollection::write(const record::Tick& tick) {
    if (tick.empty()) return;
    const std::int64_t timestamp = tick.front().timestamp;
    if (tick.front().subsystem == record::subsystem::kCpuinfo) cpuinfo_ = tick.front();
    if (due(timestamp)) rotate();
    const bool fresh = file_->size() == 0;
    if (fresh && cpuinfo_ && tick.front().subsystem != record::subsystem::kCpuinfo) {
        // pcc reads /proc/cpuinfo in its first tick only; a new file needs it too.
        record::Tick with_cpuinfo;
        with_cpuinfo.reserve(tick.size() + 1);
        with_cpuinfo.push_back(*cpuinfo_);
        with_cpuinfo.back().timestamp = timestamp;
        with_cpuinfo.insert(with_cpuinfo.end(), tick.begin(), tick.end());
        file_->write(with_cpuinfo);
    } else {
        file_->write(tick);
    }
    if (!first_ && file_->size() > 0) first_ = timestamp;
}

std::size_t RotatingCollection::finish(std::chrono::milliseconds drain_timeout) {
    return closed_.failed + file_->finish(drain_timeout);
}

record::SinkReport RotatingCollection::report() const {
    auto r = file_->report();
    r.delivered += closed_.delivered;
    r.failed += closed_.failed;
    return r;
}

}  // namespace pc::collect
