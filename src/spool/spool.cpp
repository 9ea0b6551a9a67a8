#include "pc/spool/spool.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <random>
#include <system_error>

#include "pc/core/error.hpp"
#include "pc/io/frame.hpp"
#include "pc/io/posix_file_system.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/go_json.hpp"

namespace fs = std::filesystem;

namespace pc::spool {

namespace {

constexpr std::string_view kLegacyMagic = "PCSPOOL1";
constexpr std::string_view kTickSuffix = ".tick";
constexpr std::string_view kSealSuffix = ".batch";
constexpr std::size_t kSeqDigits = 20;

std::string seq_name(std::uint64_t seq) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(seq));
    return buf;
}

// "00000000000000000042.tick" -> 42; nullopt for any other name.
std::optional<std::uint64_t> parse_seq_name(const std::string& name, std::string_view suffix) {
    if (name.size() != kSeqDigits + suffix.size() || !name.ends_with(suffix)) return std::nullopt;
    std::uint64_t seq = 0;
    const char* end = name.data() + kSeqDigits;
    const auto [ptr, ec] = std::from_chars(name.data(), end, seq);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return seq;
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string random_agent_id() {
    std::random_device rd;
    const std::uint64_t value = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
    return buf;
}

bool valid_agent_id(std::string_view id) {
    return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

void ensure_dir(io::FileSystem& files, const fs::path& dir) {
    try {
        files.create_directories(dir);
    } catch (const std::system_error& e) {
        throw core::UserError("cannot create spool directory " + dir.string() + ": " +
                              e.code().message());
    }
    files.set_permissions(dir, 0700);
}

// Removes `path` if it is there; a failure is left for the next start's recovery to see.
void remove_quietly(io::FileSystem& files, const fs::path& path) {
    try {
        files.remove(path);
    } catch (const std::exception&) {
    }
}

}  // namespace

std::string encode_spool_entry(std::string_view payload) {
    return io::encode_frame(payload);
}

namespace {

// Spool entries written before pcc used the shared frame format (io/frame.hpp): a text header
// "PCSPOOL1 <payload bytes> <crc32 hex>\n" and the payload. Read so that a spool left by an
// older pcc is still delivered after an upgrade.
std::optional<std::string> decode_legacy_spool_entry(std::string_view file, std::string* why) {
    auto fail = [&](const char* reason) -> std::optional<std::string> {
        if (why) *why = reason;
        return std::nullopt;
    };
    const auto newline = file.find('\n');
    if (newline == std::string_view::npos) return fail("torn tail: an unfinished header");
    std::string_view header = file.substr(0, newline);
    header.remove_prefix(kLegacyMagic.size() + 1);
    const auto space = header.find(' ');
    if (space == std::string_view::npos) return fail("corrupt: a bad header");
    const auto length = parse_u64(header.substr(0, space));
    const std::string_view crc_text = header.substr(space + 1);
    std::uint32_t crc = 0;
    const auto [ptr, ec] =
        std::from_chars(crc_text.data(), crc_text.data() + crc_text.size(), crc, 16);
    if (!length || ec != std::errc() || ptr != crc_text.data() + crc_text.size() ||
        crc_text.size() != 8)
        return fail("corrupt: a bad header");
    const std::string_view payload = file.substr(newline + 1);
    if (payload.size() < *length) return fail("torn tail: shorter than its header says");
    if (payload.size() > *length) return fail("corrupt: bytes after the payload");
    if (io::crc32_of(payload) != crc) return fail("corrupt: the checksum does not match");
    return std::string(payload);
}

}  // namespace

std::optional<std::string> decode_spool_entry(std::string_view file, std::string* why) {
    if (file.starts_with(kLegacyMagic) && file.size() > kLegacyMagic.size() &&
        file[kLegacyMagic.size()] == ' ')
        return decode_legacy_spool_entry(file, why);
    io::FrameScan scan;
    if (auto payload = io::decode_single_frame(file, &scan)) return std::string(*payload);
    if (why) *why = std::string(io::to_string(scan.end)) + ": " + scan.problem;
    return std::nullopt;
}

Spool::Spool(SpoolOptions options)
    : options_(std::move(options)),
      files_(options_.file_system ? options_.file_system : io::default_file_system()) {
    if (options_.dir.empty()) throw core::UserError("the spool directory is not set");
    ensure_dir(*files_, options_.dir);
    const fs::path lock = options_.dir / "lock";
    lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0)
        throw core::UserError("cannot write in spool directory " + options_.dir.string() + ": " +
                              core::errno_text(errno) + " (choose a writable directory)");
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        lock_fd_ = -1;
        throw core::UserError(
            "spool directory " + options_.dir.string() +
            " is in use by another pcc (give each agent its own spool directory)");
    }
    try {
        recover();
    } catch (...) {
        ::close(lock_fd_);
        throw;
    }
}

Spool::~Spool() {
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

void Spool::recover() {
    std::vector<std::pair<std::uint64_t, fs::path>> seal_files;
    for (const auto& entry : files_->list(options_.dir)) {
        const std::string name = entry.path.filename().string();
        if (name.find(".tmp.") != std::string::npos) {
            // A write interrupted before its rename: never acknowledged to anyone.
            files_->remove(entry.path);
            continue;
        }
        if (auto seq = parse_seq_name(name, kTickSuffix)) {
            std::string why;
            std::string content;
            try {
                content = files_->read_file(entry.path);
            } catch (const std::exception& e) {
                // An I/O error is not a torn entry: the tick may read at the next start.
                spdlog::warn("spool: cannot read {}: {}; left in place for the next start",
                             entry.path.string(), e.what());
                ++recovery_.unreadable;
                continue;
            }
            if (decode_spool_entry(content, &why)) {
                ticks_[*seq] = content.size();
                bytes_ += content.size();
                continue;
            }
            spdlog::warn("spool: discarding unreadable entry {} ({} bytes): {}",
                         entry.path.string(), content.size(), why);
            files_->remove(entry.path);
            ++recovery_.discarded;
        } else if (auto first = parse_seq_name(name, kSealSuffix)) {
            seal_files.emplace_back(*first, entry.path);
        }
    }
    for (const auto& [first, path] : seal_files) {
        std::string content;
        try {
            content = files_->read_file(path);
        } catch (const std::exception&) {
        }
        while (!content.empty() && content.back() == '\n') content.pop_back();
        const auto last = parse_u64(content);
        const bool has_ticks = last && *last >= first &&
                               ticks_.lower_bound(first) != ticks_.end() &&
                               ticks_.lower_bound(first)->first <= *last;
        if (has_ticks) {
            seals_[first] = *last;
        } else {
            files_->remove(path);  // acknowledged before a crash, or corrupt
        }
    }
    if (!ticks_.empty()) next_seq_ = ticks_.rbegin()->first + 1;
    for (const auto& [first, last] : seals_) next_seq_ = std::max(next_seq_, last + 1);

    const fs::path id_path = options_.dir / "agent-id";
    std::string id;
    if (files_->exists(id_path)) {
        try {
            id = files_->read_file(id_path);
        } catch (const std::exception&) {
        }
        while (!id.empty() && id.back() == '\n') id.pop_back();
    }
    // An empty spool starts a fresh id: sequence numbers restart, batch_ids stay unique.
    if (ticks_.empty() || !valid_agent_id(id)) {
        if (!ticks_.empty())
            spdlog::warn("spool: {} is missing or invalid; pending batches get new batch ids",
                         id_path.string());
        id = random_agent_id();
        next_seq_ = ticks_.empty() ? 1 : next_seq_;
        files_->write_file_atomic(id_path, id + "\n", 0600);
    }
    agent_id_ = id;
    files_->sync_directory(options_.dir);
    recovery_.ticks = ticks_.size();
    if (recovery_.ticks > 0)
        spdlog::info("spool {}: {} ticks ({} bytes) left by an earlier run will be delivered first",
                     options_.dir.string(), ticks_.size(), bytes_);
}

fs::path Spool::tick_path(std::uint64_t seq) const {
    return options_.dir / (seq_name(seq) + std::string(kTickSuffix));
}

fs::path Spool::seal_path(std::uint64_t first) const {
    return options_.dir / (seq_name(first) + std::string(kSealSuffix));
}

std::string Spool::batch_id(std::uint64_t first, std::uint64_t last) const {
    return agent_id_ + "-" + std::to_string(first) + "-" + std::to_string(last);
}

std::uint64_t Spool::append(const record::Tick& tick) {
    std::string payload;
    record::encode_tick(tick, payload);
    const std::string entry = encode_spool_entry(payload);
    std::uint64_t seq = 0;
    {
        std::lock_guard lock(mutex_);
        seq = next_seq_++;
    }
    // The slow part (write + two fsyncs) runs without the lock so the sender is never held up.
    files_->write_file_atomic(tick_path(seq), entry, 0600);
    std::lock_guard lock(mutex_);
    ticks_[seq] = entry.size();
    bytes_ += entry.size();
    enforce_cap_locked();
    return seq;
}

void Spool::enforce_cap_locked() {
    std::uint64_t dropped_now = 0;
    while (bytes_ > options_.max_bytes && ticks_.size() > 1) {
        const std::uint64_t head = ticks_.begin()->first;
        std::uint64_t last = head;
        if (auto seal = seals_.begin();
            seal != seals_.end() && seal->first <= head && head <= seal->second) {
            last = seal->second;
            // Never drop the newest tick along with a sealed batch.
            if (ticks_.rbegin()->first <= last) break;
            files_->remove(seal_path(seal->first));
            seals_.erase(seal);
        }
        const std::size_t before = ticks_.size();
        remove_ticks_locked(head, last);
        dropped_now += before - ticks_.size();
    }
    if (dropped_now == 0) return;
    dropped_ += dropped_now;
    files_->sync_directory(options_.dir);
    const auto now = std::chrono::steady_clock::now();
    // One warning per minute at most: a long outage would otherwise log on every tick.
    if (dropped_logged_ == 0 || now - last_drop_log_ >= std::chrono::minutes(1)) {
        spdlog::warn("spool: over its cap of {} bytes, dropped {} oldest ticks ({} since start)",
                     options_.max_bytes, dropped_ - dropped_logged_, dropped_);
        dropped_logged_ = dropped_;
        last_drop_log_ = now;
    }
}

void Spool::remove_ticks_locked(std::uint64_t first, std::uint64_t last) {
    auto it = ticks_.lower_bound(first);
    while (it != ticks_.end() && it->first <= last) {
        remove_quietly(*files_, tick_path(it->first));
        bytes_ -= it->second;
        it = ticks_.erase(it);
    }
}

std::optional<SpoolBatch> Spool::next_batch(std::size_t max_ticks) {
    std::lock_guard lock(mutex_);
    if (ticks_.empty()) return std::nullopt;
    max_ticks = std::max<std::size_t>(max_ticks, 1);
    SpoolBatch batch;
    const std::uint64_t head = ticks_.begin()->first;
    if (auto seal = seals_.begin(); seal != seals_.end() && seal->first <= head) {
        batch.first_seq = seal->first;
        batch.last_seq = seal->second;
    } else {
        batch.first_seq = head;
        auto it = ticks_.begin();
        std::advance(it, std::min(max_ticks, ticks_.size()) - 1);
        batch.last_seq = it->first;
        // Never overlap a later seal (only possible with a hand-edited spool).
        if (auto later = seals_.upper_bound(head);
            later != seals_.end() && batch.last_seq >= later->first)
            batch.last_seq = std::prev(ticks_.lower_bound(later->first))->first;
        files_->write_file_atomic(seal_path(batch.first_seq), std::to_string(batch.last_seq) + "\n",
                                  0600);
        seals_[batch.first_seq] = batch.last_seq;
    }
    batch.batch_id = batch_id(batch.first_seq, batch.last_seq);
    for (auto it = ticks_.lower_bound(batch.first_seq);
         it != ticks_.end() && it->first <= batch.last_seq; ++it) {
        const auto payload = decode_spool_entry(files_->read_file(tick_path(it->first)));
        if (!payload) continue;  // checked at open and written atomically since
        // encode_tick wrote whole lines; no need to decode them.
        batch.jsonl += *payload;
        ++batch.ticks;
    }
    return batch;
}

std::string SpoolBatch::request_body(std::string_view identifier) const {
    std::string out;
    out.reserve(jsonl.size() + identifier.size() + batch_id.size() + 64);
    out += "{\"identifier\":";
    record::append_go_json_string(out, identifier);
    out += ",\"batch_id\":";
    record::append_go_json_string(out, batch_id);
    out += ",\"measurements\":[";
    // A newline never occurs inside an encoded record, so each '\n' ends one array element.
    const std::size_t elements_start = out.size();
    std::string_view rest = jsonl;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        const std::string_view line = rest.substr(0, newline);
        rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
        if (line.empty()) continue;
        if (out.size() != elements_start) out += ',';
        out += line;
    }
    out += "]}";
    return out;
}

void Spool::acknowledge(const SpoolBatch& batch) {
    std::lock_guard lock(mutex_);
    remove_ticks_locked(batch.first_seq, batch.last_seq);
    // The seal leaves memory with its ticks, whatever the disk says next: a seal without ticks
    // would form an empty batch.
    const bool sealed = seals_.erase(batch.first_seq) > 0;
    // Ticks go first on disk: a crash (or a failed sync, which throws here) leaves the seal
    // file, so leftovers found at the next start are resent under the same batch_id, which the
    // server recognises; a seal whose ticks are gone is removed then.
    files_->sync_directory(options_.dir);
    if (sealed) {
        remove_quietly(*files_, seal_path(batch.first_seq));
        files_->sync_directory(options_.dir);
    }
}

void Spool::unseal(const SpoolBatch& batch) {
    std::lock_guard lock(mutex_);
    if (seals_.erase(batch.first_seq) > 0) {
        remove_quietly(*files_, seal_path(batch.first_seq));
        files_->sync_directory(options_.dir);
    }
}

fs::path Spool::quarantine(const SpoolBatch& batch, std::string_view reason) {
    const fs::path rejected = options_.dir / "rejected";
    ensure_dir(*files_, rejected);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    const std::string stem = std::to_string(ms) + "-" + batch.batch_id;
    const fs::path data = rejected / (stem + ".jsonl");
    files_->write_file_atomic(data, batch.jsonl, 0600);
    files_->write_file_atomic(rejected / (stem + ".error"), std::string(reason) + "\n", 0600);
    acknowledge(batch);

    // Keep rejected/ bounded: oldest files (names start with the time) go first.
    std::vector<std::pair<std::string, std::uintmax_t>> files;
    std::uintmax_t total = 0;
    for (const auto& entry : files_->list(rejected)) {
        if (!entry.regular_file) continue;
        std::uintmax_t size = 0;
        try {
            size = files_->open(entry.path, io::OpenMode::read)->size();
        } catch (const std::exception&) {
            continue;
        }
        files.emplace_back(entry.path.filename().string(), size);
        total += size;
    }
    std::sort(files.begin(), files.end());
    for (const auto& [name, size] : files) {
        if (total <= options_.max_bytes || name.starts_with(stem)) break;
        remove_quietly(*files_, rejected / name);
        total -= size;
    }
    return data;
}

std::size_t Spool::tick_count() const {
    std::lock_guard lock(mutex_);
    return ticks_.size();
}

std::size_t Spool::byte_size() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

std::uint64_t Spool::dropped_ticks() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

}  // namespace pc::spool
