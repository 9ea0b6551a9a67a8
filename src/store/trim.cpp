#include "pc/store/trim.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <vector>

#include "file_io.hpp"
#include "pc/store/batch_index.hpp"
#include "pc/store/machine_log.hpp"

namespace fs = std::filesystem;

namespace pc::store {

namespace {

fs::path with_suffix(const fs::path& path, const char* suffix) {
    fs::path out = path;
    out += suffix;
    return out;
}

struct IndexLines {
    std::vector<IndexEntry> entries;
    std::vector<std::uint64_t> ends;  // offset just after each entry's line
};

// Every entry of `text` (an index, or the part of one after `base`); throws when one is
// malformed, so a damaged index is never rewritten.
IndexLines parse_all(std::string_view text, std::uint64_t base, const fs::path& path) {
    IndexLines out;
    const auto scan =
        ::pc::io::scan_frames(text, [&](std::string_view payload, std::size_t offset) {
            auto entry = parse_index_line(payload);
            if (!entry) return false;
            out.entries.push_back(std::move(*entry));
            out.ends.push_back(base + offset + ::pc::io::kFrameOverhead + payload.size());
            return true;
        });
    if (scan.end != ::pc::io::FrameEnd::clean) {
        errno = EINVAL;
        throw io::sys_error("index " + path.string() + " has a malformed entry at byte " +
                            std::to_string(base + scan.valid_bytes));
    }
    return out;
}

}  // namespace

fs::path trim_data_path(const fs::path& data_path) {
    return with_suffix(data_path, ".trim");
}

fs::path trim_index_path(const fs::path& index_path) {
    return with_suffix(index_path, ".trim");
}

void finish_interrupted_trim(FileSystem& files, const fs::path& data_path,
                             const fs::path& index_path, std::string_view id) {
    const fs::path data_temp = trim_data_path(data_path);
    const fs::path index_new = trim_index_path(index_path);
    if (files.exists(index_new)) {
        if (files.exists(data_temp)) {
            files.rename(data_temp, data_path);
            files.sync_directory(data_path.parent_path());
        }
        files.rename(index_new, index_path);
        files.sync_directory(index_path.parent_path());
        spdlog::warn("store: {}: finished a trim that a stop interrupted after its commit point",
                     id);
    } else if (files.exists(data_temp)) {
        try {
            files.remove(data_temp);
        } catch (const std::exception&) {
            // Left for the next start, as before.
        }
        spdlog::warn("store: {}: discarded a trim that a stop interrupted (nothing was removed)",
                     id);
    }
}

TrimPlan::~TrimPlan() {
    const fs::path temp = file_->path();
    file_.reset();
    if (finished_) return;
    try {
        fs_.remove(temp);
    } catch (const std::exception&) {
        // The next start discards it (finish_interrupted_trim).
    }
}

std::unique_ptr<TrimPlan> MachineLog::trim_stage(std::int64_t before) {
    FilesInUse files(*this);
    const Tail at = tail();
    const std::string index = io::pread_exact(*index_file_, 0, at.index_end);
    const IndexLines lines = parse_all(index, 0, index_path_);
    // Only a leading run goes: the collection stays in arrival order, with no holes.
    std::size_t drop = 0;
    while (drop < lines.entries.size() && lines.entries[drop].last_timestamp < before) ++drop;
    if (drop == 0) return nullptr;

    const fs::path temp = trim_data_path(data_path_);
    auto plan = std::make_unique<TrimPlan>(
        *fs_, fs_->open(temp, OpenMode::replace, data_file_->permissions()));
    plan->batches = drop;
    plan->records = lines.entries[drop - 1].total_records;
    plan->index_cut = lines.ends[drop - 1];
    plan->cut = drop < lines.entries.size() ? lines.entries[drop].offset : at.data_end;
    io::copy_range(*data_file_, plan->cut, at.data_end, plan->file(), 0);
    plan->copied_end = at.data_end;
    return plan;
}

TrimResult MachineLog::trim_finish(TrimPlan& plan) {
    FilesInUse files(*this);
    const Tail at = tail();
    io::copy_range(*data_file_, plan.copied_end, at.data_end, plan.file(),
                   plan.copied_end - plan.cut);
    plan.file().sync();

    // The kept entries, moved to their new offsets and counts.
    const std::string rest =
        io::pread_exact(*index_file_, plan.index_cut, at.index_end - plan.index_cut);
    IndexLines kept = parse_all(rest, plan.index_cut, index_path_);
    std::string index;
    for (auto& e : kept.entries) {
        e.offset -= plan.cut;
        e.total_records -= plan.records;
        append_index_entry(e, index);
    }
    fs_->write_file_atomic(trim_index_path(index_path_), index, index_file_->permissions());
    // Committed: from here on a crash is finished at the next start.
    plan.finished();
    fs_->rename(plan.temp(), data_path_);
    fs_->sync_directory(data_path_.parent_path());
    fs_->rename(trim_index_path(index_path_), index_path_);
    fs_->sync_directory(index_path_.parent_path());

    auto data_file = fs_->open(data_path_, OpenMode::read_write);
    auto index_file = fs_->open(index_path_, OpenMode::read_write);
    {
        // Commits are paused and Store trims one machine at a time: this is the only user.
        std::lock_guard lock(files_mutex_);
        close_files();
        data_file_ = std::move(data_file);
        index_file_ = std::move(index_file);
    }

    std::lock_guard lock(mutex_);
    data_end_ = at.data_end - plan.cut;
    index_end_ = index.size();
    total_records_ = at.total_records - plan.records;
    if (kept.entries.empty()) {
        first_timestamp_ = 0;
        last_timestamp_ = 0;
    } else {
        first_timestamp_ = kept.entries.front().first_timestamp;
    }
    return {plan.batches, plan.records, plan.cut};
}

void MachineLog::remove_files() {
    try {
        fs_->remove(trim_data_path(data_path_));
    } catch (const std::exception&) {
        // Only a leftover: the next trim replaces it.
    }
    fs_->remove(data_path_);
    fs_->sync_directory(data_path_.parent_path());
    fs_->remove(index_path_);
    fs_->sync_directory(index_path_.parent_path());
}

}  // namespace pc::store
