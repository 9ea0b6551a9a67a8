#include "pc/process/output_tree.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <set>
#include <system_error>

#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"

namespace pc::process {

namespace fs = std::filesystem;

namespace {

void make_directories(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
        throw core::UserError("cannot create output directory " + dir.string() + ": " +
                              (ec ? ec.message() : std::string("a file is in the way")) +
                              "; check PCR_OUTDIR / --outdir");
    }
}

}  // namespace

AtomicOutputFile::AtomicOutputFile(fs::path final_path) : final_(std::move(final_path)) {
    std::random_device rd;
    for (int attempt = 0; attempt < 8 && fd_ < 0; ++attempt) {
        // Built with append, not operator+ chains: GCC 12 -O3 reports a false -Wrestrict on
        // the inlined concatenation.
        std::string name = ".";
        name.append(final_.filename().string()).append(".tmp-").append(std::to_string(rd()));
        temp_ = final_.parent_path() / name;
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd_ < 0 && errno != EEXIST) break;
    }
    if (fd_ < 0) {
        throw core::UserError("cannot create " + temp_.string() + ": " + core::errno_text(errno) +
                              "; check that the output directory is writable");
    }
    buffer_.reserve(kFlushAt + 4096);
}

AtomicOutputFile::~AtomicOutputFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_.c_str());
}

void AtomicOutputFile::flush() {
    if (buffer_.empty()) return;
    try {
        core::write_all(fd_, buffer_);
    } catch (const std::system_error& e) {
        throw core::UserError("cannot write " + final_.string() + ": " + e.code().message() +
                              " (is the disk full?)");
    }
    buffer_.clear();
}

void AtomicOutputFile::commit() {
    flush();
    if (::fsync(fd_) != 0) {
        throw core::UserError("cannot write " + final_.string() + ": " + core::errno_text(errno));
    }
    ::close(fd_);
    fd_ = -1;
    if (::rename(temp_.c_str(), final_.c_str()) != 0) {
        throw core::UserError("cannot replace " + final_.string() + ": " + core::errno_text(errno));
    }
    committed_ = true;
}

OutputTree::OutputTree(fs::path root) : root_(std::move(root)) {
    make_directories(root_);
}

AtomicOutputFile& OutputTree::file(const std::string& relative) {
    auto it = files_.find(relative);
    if (it != files_.end()) return *it->second;
    fs::path path = root_ / relative;
    make_directories(path.parent_path());
    auto [pos, inserted] = files_.emplace(relative, std::make_unique<AtomicOutputFile>(path));
    return *pos->second;
}

void OutputTree::commit_all() {
    std::set<fs::path> dirs;
    for (auto& [name, file] : files_) {
        file->commit();
        dirs.insert(file->path().parent_path());
    }
    for (const auto& d : dirs) core::fsync_directory(d);
}

}  // namespace pc::process
