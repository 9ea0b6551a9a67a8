#include "pc/store/trim.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "file_io.hpp"
#include "pc/core/file_util.hpp"
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

void rename_or_throw(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) {
        throw io::sys_error("rename " + from.string() + " to " + to.string());
    }
}

struct IndexLines {
    std::vector<IndexEntry> entries;
    std::vector<std::uint64_t> ends;  // offset just after each entry's line
};

// Every line of `text` (an index, or the part of one after `base`); throws when one is
// malformed, so a damaged index is never rewritten.
IndexLines parse_all(std::string_view text, std::uint64_t base, const fs::path& path) {
    IndexLines out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        auto entry = nl == std::string_view::npos ? std::nullopt
                                                  : parse_index_line(text.substr(pos, nl - pos));
        if (!entry) {
            errno = EINVAL;
            throw io::sys_error("index " + path.string() + " has a malformed line at byte " +
                                std::to_string(base + pos));
        }
        out.entries.push_back(std::move(*entry));
        pos = nl + 1;
        out.ends.push_back(base + pos);
    }
    return out;
}

unsigned mode_of(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? (st.st_mode & 07777) : 0640;
}

}  // namespace

fs::path trim_data_path(const fs::path& data_path) {
    return with_suffix(data_path, ".trim");
}

fs::path trim_index_path(const fs::path& index_path) {
    return with_suffix(index_path, ".trim");
}

void finish_interrupted_trim(const fs::path& data_path, const fs::path& index_path,
                             std::string_view id) {
    std::error_code ec;
    const fs::path data_temp = trim_data_path(data_path);
    const fs::path index_new = trim_index_path(index_path);
    if (fs::exists(index_new, ec)) {
        if (fs::exists(data_temp, ec)) {
            rename_or_throw(data_temp, data_path);
            core::fsync_directory(data_path.parent_path());
        }
        rename_or_throw(index_new, index_path);
        core::fsync_directory(index_path.parent_path());
        spdlog::warn("store: {}: finished a trim that a stop interrupted after its commit point",
                     id);
    } else if (fs::exists(data_temp, ec)) {
        fs::remove(data_temp, ec);
        spdlog::warn("store: {}: discarded a trim that a stop interrupted (nothing was removed)",
                     id);
    }
}

TrimPlan::~TrimPlan() {
    if (fd_ >= 0) ::close(fd_);
    if (!finished_) ::unlink(temp_.c_str());
}

std::unique_ptr<TrimPlan> MachineLog::trim_stage(std::int64_t before) {
    FilesInUse files(*this);
    const Tail at = tail();
    const std::string index = io::pread_exact(index_fd_, 0, at.index_end);
    const IndexLines lines = parse_all(index, 0, index_path_);
    // Only a leading run goes: the collection stays in arrival order, with no holes.
    std::size_t drop = 0;
    while (drop < lines.entries.size() && lines.entries[drop].last_timestamp < before) ++drop;
    if (drop == 0) return nullptr;

    const fs::path temp = trim_data_path(data_path_);
    int fd = io::open_file(temp, O_WRONLY | O_CREAT | O_TRUNC, mode_of(data_fd_));
    auto plan = std::make_unique<TrimPlan>(temp, fd);
    plan->batches = drop;
    plan->records = lines.entries[drop - 1].total_records;
    plan->index_cut = lines.ends[drop - 1];
    plan->cut = drop < lines.entries.size() ? lines.entries[drop].offset : at.data_end;
    io::copy_range(data_fd_, plan->cut, at.data_end, fd, 0);
    plan->copied_end = at.data_end;
    return plan;
}

TrimResult MachineLog::trim_finish(TrimPlan& plan) {
    FilesInUse files(*this);
    const Tail at = tail();
    io::copy_range(data_fd_, plan.copied_end, at.data_end, plan.fd(), plan.copied_end - plan.cut);
    if (::fsync(plan.fd()) != 0) throw io::sys_error("fsync " + plan.temp().string());

    // The kept entries, moved to their new offsets and counts.
    const std::string rest =
        io::pread_exact(index_fd_, plan.index_cut, at.index_end - plan.index_cut);
    IndexLines kept = parse_all(rest, plan.index_cut, index_path_);
    std::string index;
    for (auto& e : kept.entries) {
        e.offset -= plan.cut;
        e.total_records -= plan.records;
        append_index_line(e, index);
    }
    core::write_file_atomic(trim_index_path(index_path_), index, mode_of(index_fd_));
    // Committed: from here on a crash is finished at the next start.
    plan.finished();
    rename_or_throw(plan.temp(), data_path_);
    core::fsync_directory(data_path_.parent_path());
    rename_or_throw(trim_index_path(index_path_), index_path_);
    core::fsync_directory(index_path_.parent_path());

    int data_fd = io::open_file(data_path_, O_RDWR);
    int index_fd = ::open(index_path_.c_str(), O_RDWR | O_CLOEXEC);
    if (index_fd < 0) {
        auto error = io::sys_error("open " + index_path_.string());
        ::close(data_fd);
        throw error;
    }
    {
        // Commits are paused and Store trims one machine at a time: this is the only user.
        std::lock_guard lock(files_mutex_);
        close_files();
        data_fd_ = data_fd;
        index_fd_ = index_fd;
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
    std::error_code ec;
    fs::remove(trim_data_path(data_path_), ec);
    if (::unlink(data_path_.c_str()) != 0 && errno != ENOENT) {
        throw io::sys_error("remove " + data_path_.string());
    }
    core::fsync_directory(data_path_.parent_path());
    if (::unlink(index_path_.c_str()) != 0 && errno != ENOENT) {
        throw io::sys_error("remove " + index_path_.string());
    }
    core::fsync_directory(index_path_.parent_path());
}

}  // namespace pc::store
