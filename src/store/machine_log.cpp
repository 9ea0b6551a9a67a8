#include "pc/store/machine_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <system_error>

#include "file_io.hpp"
#include "pc/record/codec.hpp"
#include "pc/store/batch_index.hpp"
#include "pc/store/trim.hpp"

namespace pc::store {

namespace {

// Index entries verified against the data (CRC) at startup, counted from the end. Older
// entries were synced before any later batch was written, so they need no check.
constexpr std::size_t kVerifyEntries = 64;
constexpr std::uint64_t kVerifyBytes = 64u << 20;
// After a crash, the bytes beyond a machine's last index entry are the batches of the group
// that was being committed: never acknowledged, so they may be cut. A longer tail cannot be
// that, so it is acknowledged data whose index is damaged.
constexpr std::uint64_t kMaxUnacknowledgedBytes = 64u << 20;

using io::pread_exact;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Where recovery puts what it takes out of a machine's files: <datadir>/.damaged/, never deleted.
std::filesystem::path aside_path(FileSystem& fs, const std::filesystem::path& datadir,
                                 std::string_view identifier, std::string_view what) {
    auto dir = datadir / ".damaged";
    fs.create_directories(dir);
    return dir /
           (std::string(identifier) + "." + std::to_string(now_ms()) + "." + std::string(what));
}

struct IndexLine {
    IndexEntry entry;
    std::uint64_t line_offset = 0;  // where the entry's frame starts in the index file
    std::uint64_t line_end = 0;     // just after it
};

// The last `want` good entries of the index (fewer when the file is shorter), and whether
// they start at the beginning of the file.
struct IndexTail {
    std::vector<IndexLine> lines;
    bool from_start = false;
    bool damaged = false;         // an older entry in reach does not check out
    std::uint64_t valid_end = 0;  // end of the last good entry
};

IndexTail read_index_tail(File& file, std::uint64_t size, std::size_t want) {
    auto frames = ::pc::io::read_frames_backward(file, size, want, kMaxUnacknowledgedBytes);
    IndexTail result;
    result.from_start = frames.from_start;
    result.damaged = frames.damaged;
    result.valid_end = frames.valid_end;
    for (auto& frame : frames.frames) {
        auto entry = parse_index_line(frame.payload);
        if (!entry) {
            // A good frame with a bad text was never written by pcd: damage.
            result.lines.clear();
            result.damaged = true;
            result.from_start = false;
            continue;
        }
        result.lines.push_back({std::move(*entry), frame.offset, frame.end});
    }
    return result;
}

}  // namespace

std::filesystem::path collection_path(const std::filesystem::path& datadir, std::string_view id) {
    return datadir / (std::string(id) + ".json");
}

std::filesystem::path index_path(const std::filesystem::path& datadir, std::string_view id) {
    return datadir / ".index" / (std::string(id) + ".idx");
}

MachineLog::MachineLog(const StoreOptions& options, std::string identifier, bool after_clean_stop,
                       OpenFileCache* cache)
    : after_clean_stop_(after_clean_stop),
      dedup_window_(options.dedup_window),
      fs_(options.file_system),
      identifier_(std::move(identifier)),
      data_path_(collection_path(options.datadir, identifier_)),
      index_path_(index_path(options.datadir, identifier_)),
      cache_(cache),
      recent_(options.dedup_window) {}

MachineLog::~MachineLog() {
    if (tail_dirty_) {
        // The last chance to cut what a failed write and a failed roll_back left (see write()).
        try {
            FilesInUse files(*this);
            data_file_->truncate(data_end_);
            index_file_->truncate(index_end_);
        } catch (const std::exception& ex) {
            spdlog::error(
                "store: {}: could not cut the bytes a failed write left past {} bytes: {}; the "
                "next start checks the collection against its index",
                identifier_, data_end_, ex.what());
        }
    }
    if (cache_) cache_->forget(*this);
    std::lock_guard lock(files_mutex_);
    close_files();
}

void MachineLog::close_files() {
    data_file_.reset();
    index_file_.reset();
}

bool MachineLog::close_if_idle() {
    std::lock_guard lock(files_mutex_);
    if (files_in_use_ > 0) return false;
    close_files();
    return true;
}

MachineLog::FilesInUse::FilesInUse(MachineLog& log) : log_(log) {
    {
        std::lock_guard lock(log_.files_mutex_);
        if (!log_.data_file_) {
            // Closed by the cache: open again. Not created: recovery made both files, and a
            // file gone since is an error to report, not a collection to start afresh.
            log_.index_file_ = log_.fs_->open(log_.index_path_, OpenMode::read_write);
            try {
                log_.data_file_ = log_.fs_->open(log_.data_path_, OpenMode::read_write);
            } catch (...) {
                log_.close_files();
                throw;
            }
        }
        ++log_.files_in_use_;
    }
    if (log_.cache_) log_.cache_->use(log_);
}

MachineLog::FilesInUse::~FilesInUse() {
    std::lock_guard lock(log_.files_mutex_);
    --log_.files_in_use_;
}

void MachineLog::recover() {
    if (recovered()) return;
    std::lock_guard once(recover_mutex_);
    if (recovered()) return;
    {
        // Not known to the cache yet, but a failed recovery may be retried while a checkpoint
        // holds the machine: count recovery as a use.
        std::lock_guard lock(files_mutex_);
        ++files_in_use_;
    }
    try {
        open_and_recover();
    } catch (...) {
        std::lock_guard lock(files_mutex_);
        close_files();
        --files_in_use_;
        throw;
    }
    {
        std::lock_guard lock(files_mutex_);
        --files_in_use_;
    }
    recovered_.store(true, std::memory_order_release);
    if (cache_) cache_->use(*this);
}

void MachineLog::open_and_recover() {
    finish_interrupted_trim(*fs_, data_path_, index_path_, identifier_);
    bool have_data = fs_->exists(data_path_);
    bool have_index = fs_->exists(index_path_);
    if (have_data && have_index) convert_legacy_index();
    if (have_data && !have_index) adopt_unindexed_collection();
    if (!have_data && have_index) {
        spdlog::warn("store: {}: index without collection file {}: starting a new collection",
                     identifier_, data_path_.string());
    }
    // The index is created first: a collection file without an index is then always one that
    // pcd did not write, never one whose first batch was interrupted.
    index_file_ = fs_->open(index_path_, OpenMode::create);
    if (!have_data && have_index) index_file_->truncate(0);
    data_file_ = fs_->open(data_path_, OpenMode::create);
    if (!have_data || !have_index) {
        fs_->sync_directory(index_path_.parent_path());
        fs_->sync_directory(data_path_.parent_path());
    }
    recover_tail(false);
}

void MachineLog::convert_legacy_index() {
    std::string text;
    {
        auto file = fs_->open(index_path_, OpenMode::read);
        char head[4] = {};
        const auto n = file->read_at(head, sizeof head, 0);
        if (!is_legacy_index(std::string_view(head, n))) return;
        text = pread_exact(*file, 0, file->size());
    }
    const LegacyIndex converted = store::convert_legacy_index(text);
    if (!converted.whole) {
        // The collection is the truth: an old index that cannot be read whole is set aside and
        // the new one built from the collection, as for any damaged index.
        index_file_ = fs_->open(index_path_, OpenMode::read_write);
        data_file_ = fs_->open(data_path_, OpenMode::read_write);
        rebuild_index("an index of an older pcd whose " + converted.problem);
        close_files();
        return;
    }
    // Readers see the old index or the converted one, never a part: a crash here converts
    // again at the next start.
    fs_->write_file_atomic(index_path_, converted.framed, 0640);
    spdlog::info("store: {}: converted its index ({} entries) to the frame format", identifier_,
                 converted.entries);
}

void MachineLog::rebuild_index(const std::string& disagreement) {
    auto aside = aside_path(*fs_, data_path_.parent_path(), identifier_, "idx");
    index_file_.reset();
    data_file_.reset();
    fs_->rename(index_path_, aside);
    spdlog::error(
        "store: {}: the index disagrees with the collection ({}): rebuilding it from {}, which is "
        "kept whole; the old index was moved to {}",
        identifier_, disagreement, data_path_.string(), aside.string());
    adopt_unindexed_collection();
    index_file_ = fs_->open(index_path_, OpenMode::read_write);
    data_file_ = fs_->open(data_path_, OpenMode::read_write);
}

void MachineLog::recover_tail(bool rebuilt) {
    const std::uint64_t data_size = data_file_->size();
    const std::uint64_t index_size = index_file_->size();
    const std::size_t want = std::max(dedup_window_, kVerifyEntries) + 1;
    IndexTail tail = read_index_tail(*index_file_, index_size, want);
    auto& lines = tail.lines;

    // Verify the newest entries, oldest first: each must follow the previous one, lie inside the
    // collection file and match its CRC.
    std::size_t keep = lines.size();
    std::size_t verify_from = lines.size() > kVerifyEntries ? lines.size() - kVerifyEntries : 0;
    if (!tail.from_start && verify_from == 0 && !lines.empty()) verify_from = 1;
    std::uint64_t verified_bytes = 0;
    for (std::size_t i = verify_from; i < lines.size(); ++i) {
        const auto& e = lines[i].entry;
        bool ok = e.end() <= data_size && (i == 0 ? (!tail.from_start || e.offset == 0)
                                                  : e.offset == lines[i - 1].entry.end());
        if (ok && verified_bytes + e.length <= kVerifyBytes) {
            ok = crc32_of(pread_exact(*data_file_, e.offset, e.length)) == e.crc;
            verified_bytes += e.length;
        }
        if (!ok) {
            keep = i;
            break;
        }
    }
    // The collection file is the truth. Only what a crash can leave may be cut: the batches of
    // the group being committed (never acknowledged), at the very end of both files. An index
    // that disagrees with the collection in any other way is rebuilt from it, and nothing
    // acknowledged is cut.
    std::string disagreement;
    const std::uint64_t listed_end = keep == 0 ? 0 : lines[keep - 1].entry.end();
    const std::uint64_t uncovered =
        std::max(data_size, lines.empty() ? 0 : lines.back().entry.end()) - listed_end;
    if (tail.damaged) {
        disagreement = "the index has entries that cannot be read";
    } else if (keep == 0 && !tail.from_start) {
        disagreement = "the index is damaged beyond its recent entries";
    } else if (uncovered > 0) {
        const std::string rest =
            pread_exact(*index_file_, tail.valid_end, index_size - tail.valid_end);
        if (after_clean_stop_) {
            disagreement = std::to_string(uncovered) +
                           " bytes disagree after a clean stop, when nothing was being committed";
        } else if (::pc::io::scan_frames(rest, [](std::string_view, std::size_t) {
                       return true;
                   }).end == ::pc::io::FrameEnd::corrupt) {
            disagreement = "the index has entries that cannot be read";
        } else if (uncovered > kMaxUnacknowledgedBytes) {
            disagreement = std::to_string(uncovered) +
                           " bytes disagree, more than a crash can leave unacknowledged";
        }
    }
    if (!disagreement.empty()) {
        if (rebuilt) {
            throw std::runtime_error("index " + index_path_.string() +
                                     " still disagrees with the collection after a rebuild (" +
                                     disagreement + ")");
        }
        rebuild_index(disagreement);
        return recover_tail(true);
    }
    std::uint64_t index_end = keep == 0 ? (lines.empty() ? tail.valid_end : lines[0].line_offset)
                                        : lines[keep - 1].line_end;
    lines.resize(keep);
    std::uint64_t data_end = lines.empty() ? 0 : lines.back().entry.end();

    bool repaired = false;
    if (data_size > data_end) {
        auto aside = aside_path(*fs_, data_path_.parent_path(), identifier_, "unacknowledged");
        fs_->write_file_atomic(aside, pread_exact(*data_file_, data_end, data_size - data_end),
                               0640);
        spdlog::warn(
            "store: {}: moved {} bytes of a batch that was never acknowledged (pcd stopped while "
            "committing it) from the end of {} to {}",
            identifier_, data_size - data_end, data_path_.string(), aside.string());
        data_file_->truncate(data_end);
        repaired = true;
    }
    if (index_size > index_end) {
        spdlog::warn(
            "store: {}: cut {} bytes of index entries that were never acknowledged from {}",
            identifier_, index_size - index_end, index_path_.string());
        index_file_->truncate(index_end);
        repaired = true;
    }
    if (repaired) {
        data_file_->sync_data();
        index_file_->sync_data();
    }

    std::lock_guard lock(mutex_);
    data_end_ = data_end;
    index_end_ = index_end;
    if (!lines.empty()) {
        const auto& last = lines.back().entry;
        total_records_ = last.total_records;
        last_timestamp_ = last.last_timestamp;
        last_seen_ms_ = last.received_ms;
        if (tail.from_start) {
            first_timestamp_ = lines.front().entry.first_timestamp;
        } else if (auto text = ::pc::io::read_frame_at(*index_file_, index_size, 0)) {
            if (auto first = parse_index_line(*text)) first_timestamp_ = first->first_timestamp;
        }
        std::size_t from = lines.size() > dedup_window_ ? lines.size() - dedup_window_ : 0;
        for (std::size_t i = from; i < lines.size(); ++i) {
            if (lines[i].entry.batch_id) recent_.add(*lines[i].entry.batch_id);
        }
    }
}

void MachineLog::adopt_unindexed_collection() {
    // One pass over the file: cut a torn last line, count records, CRC the rest, then write
    // the index atomically so a crash leaves either no index (adopt again) or a complete one.
    auto file = fs_->open(data_path_, OpenMode::read_write);
    const std::uint64_t size = file->size();
    IndexEntry entry;
    std::uint32_t crc = 0;
    std::string carry;
    std::uint64_t offset = 0;
    std::uint64_t complete = 0;
    bool have_first = false;
    while (offset < size) {
        std::string block =
            pread_exact(*file, offset, std::min<std::uint64_t>(1 << 20, size - offset));
        if (block.empty()) break;
        offset += block.size();
        carry += block;
        std::size_t pos = 0;
        for (auto nl = carry.find('\n'); nl != std::string::npos; nl = carry.find('\n', pos)) {
            std::string_view line(carry.data() + pos, nl - pos);
            if (auto r = record::decode_record(line); r.record) {
                if (!have_first) entry.first_timestamp = r.record->timestamp;
                have_first = true;
                entry.last_timestamp = r.record->timestamp;
                ++entry.records;
            }
            pos = nl + 1;
        }
        crc = crc32_of(std::string_view(carry.data(), pos), crc);
        complete += pos;
        carry.erase(0, pos);
    }
    if (complete < size) {
        auto aside = aside_path(*fs_, data_path_.parent_path(), identifier_, "torn");
        fs_->write_file_atomic(aside, pread_exact(*file, complete, size - complete), 0640);
        spdlog::warn("store: {}: moved a torn last line ({} bytes) from the end of {} to {}",
                     identifier_, size - complete, data_path_.string(), aside.string());
        file->truncate(complete);
    }
    file->sync_data();
    entry.length = complete;
    entry.crc = crc;
    entry.total_records = entry.records;
    entry.received_ms = now_ms();
    std::string framed;
    if (complete > 0) append_index_entry(entry, framed);
    fs_->write_file_atomic(index_path_, framed, 0640);
    spdlog::info("store: {}: indexed existing collection {} ({} records)", identifier_,
                 data_path_.string(), entry.records);
}

PreparedBatch prepare_batch(const std::vector<record::Record>& records,
                            const std::optional<std::string>& batch_id) {
    PreparedBatch batch;
    std::size_t guess = 0;
    for (const auto& r : records) guess += r.subsystem.size() + r.measurement.size() + 96;
    batch.data.reserve(guess);
    for (const auto& r : records) record::encode_record(r, batch.data);
    IndexEntry& e = batch.entry;
    e.length = batch.data.size();
    e.crc = crc32_of(batch.data);
    e.records = records.size();
    if (!records.empty()) {
        e.first_timestamp = records.front().timestamp;
        e.last_timestamp = records.back().timestamp;
    }
    e.batch_id = batch_id;
    return batch;
}

MachineLog::Tail MachineLog::tail() const {
    std::lock_guard lock(mutex_);
    return {data_end_, index_end_, total_records_};
}

void MachineLog::write(std::string_view data, std::string_view index, const Tail& at) {
    FilesInUse files(*this);
    data_file_->write_at(data, at.data_end);
    index_file_->write_at(index, at.index_end);
    if (tail_dirty_) {
        // A shorter batch does not cover what a failed write left: without this, recovery would
        // read those never-acknowledged bytes as data.
        data_file_->truncate(at.data_end + data.size());
        index_file_->truncate(at.index_end + index.size());
        tail_dirty_ = false;
    }
}

void MachineLog::roll_back(const Tail& at) {
    std::optional<FilesInUse> files;
    try {
        files.emplace(*this);
    } catch (const std::exception& ex) {
        tail_dirty_ = true;
        spdlog::error("store: {}: could not roll back a failed write: {}", identifier_, ex.what());
        return;
    }
    try {
        data_file_->truncate(at.data_end);
        index_file_->truncate(at.index_end);
    } catch (const std::system_error& ex) {
        tail_dirty_ = true;
        spdlog::error("store: {}: could not roll back a failed write: {}", identifier_,
                      ex.code().message());
    }
}

void MachineLog::sync() {
    FilesInUse files(*this);
    data_file_->sync_data();
    index_file_->sync_data();
}

void MachineLog::committed(const Tail& end, const std::vector<const IndexEntry*>& entries,
                           std::int64_t received_ms) {
    std::lock_guard lock(mutex_);
    if (total_records_ == 0 && data_end_ == 0 && !entries.empty()) {
        first_timestamp_ = entries.front()->first_timestamp;
    }
    data_end_ = end.data_end;
    index_end_ = end.index_end;
    total_records_ = end.total_records;
    for (const auto* e : entries) {
        if (e->records > 0) last_timestamp_ = e->last_timestamp;
        if (e->batch_id) recent_.add(*e->batch_id);
    }
    last_seen_ms_ = received_ms;
}

bool MachineLog::recently_stored(const std::string& batch_id) const {
    std::lock_guard lock(mutex_);
    return recent_.contains(batch_id);
}

MachineSummary MachineLog::summary() const {
    std::lock_guard lock(mutex_);
    return {identifier_,      total_records_,  data_end_,
            first_timestamp_, last_timestamp_, last_seen_ms_ / 1000};
}

std::uint64_t MachineLog::durable_size() const {
    std::lock_guard lock(mutex_);
    return data_end_;
}

}  // namespace pc::store
