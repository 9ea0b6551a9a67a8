#include "pc/collect/collection_file.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

#include "pc/core/error.hpp"
#include "pc/io/posix_file_system.hpp"
#include "pc/record/codec.hpp"

namespace pc::collect {

std::uint64_t cut_torn_last_line(io::File& file) {
    const std::uint64_t size = file.size();
    // Search backwards for the last newline, one block at a time.
    char block[4096];
    std::uint64_t end = size;
    while (end > 0) {
        const std::uint64_t start = end > sizeof block ? end - sizeof block : 0;
        const auto want = static_cast<std::size_t>(end - start);
        if (file.read_at(block, want, start) != want) {
            throw std::system_error(EIO, std::generic_category(), "short read");
        }
        for (std::size_t i = want; i-- > 0;) {
            if (block[i] != '\n') continue;
            const std::uint64_t keep = start + i + 1;
            if (keep == size) return 0;
            file.truncate(keep);
            return size - keep;
        }
        end = start;
    }
    if (size > 0) file.truncate(0);
    return size;
}

CollectionFile::CollectionFile(std::filesystem::path path, std::string_view variable,
                               std::shared_ptr<io::FileSystem> file_system)
    : path_(std::move(path)),
      file_system_(file_system ? std::move(file_system) : io::default_file_system()) {
    const std::string var(variable);
    if (path_.empty())
        throw core::UserError(var + ": empty path; use e.g. " + var + "=/tmp/pcc.json");
    auto parent = path_.parent_path();
    if (!parent.empty() && !file_system_->is_directory(parent)) {
        throw core::UserError(var + ": directory " + parent.string() + " of " + path_.string() +
                              " does not exist; create it or choose another path, e.g. " + var +
                              "=/tmp/pcc.json");
    }
    // Read access too, to check the tail of an existing file below; a write-only file is
    // still appended to, unchecked.
    bool readable = true;
    try {
        file_ = file_system_->open(path_, io::OpenMode::append, 0600);
    } catch (const std::system_error& e) {
        int error = e.code().value();
        if (error == EACCES) {
            readable = false;
            try {
                file_ = file_system_->open(path_, io::OpenMode::append_only);
            } catch (const std::system_error& again) {
                // ENOENT here only means there is no file to append to: the directory refused
                // to create one, and that EACCES is the reason to report.
                if (again.code().value() != ENOENT) error = again.code().value();
            }
        }
        if (!file_) {
            throw core::UserError(var + ": cannot open " + path_.string() +
                                  " for appending: " + core::errno_text(error));
        }
    }
    // A run killed in the middle of its write leaves a line without its newline; appending
    // after it would put a malformed line in the middle of the file. Cut it off first.
    try {
        if (const auto cut = readable ? cut_torn_last_line(*file_) : 0; cut > 0) {
            spdlog::warn("{}: removed a torn last line ({} bytes) left by an interrupted run",
                         path_.string(), cut);
        }
    } catch (const std::system_error& e) {
        file_.reset();
        throw core::UserError(var + ": cannot check the end of " + path_.string() + " (" +
                              e.what() + "); move the file away or choose another path");
    }
}

CollectionFile::~CollectionFile() = default;

void CollectionFile::write(const record::Tick& tick) {
    if (tick.empty()) return;
    buffer_.clear();
    record::encode_tick(tick, buffer_);

    std::uint64_t before = 0;
    bool have_size = true;
    try {
        before = file_->size();
    } catch (const std::system_error&) {
        have_size = false;
    }
    try {
        // The offset is ignored: the file is open for appending.
        file_->write_at(buffer_, before);
        ++written_;
        return;
    } catch (const std::system_error& e) {
        ++lost_;
        // Whatever part of the tick reached the file is cut off again: a reader must never
        // find half a tick followed by the next one.
        if (have_size) {
            try {
                if (file_->size() != before) file_->truncate(before);
            } catch (const std::system_error& cut) {
                spdlog::error("{}: tick at {} partly written and could not be cut off again: {}",
                              path_.string(), tick.front().timestamp,
                              core::errno_text(cut.code().value()));
                return;
            }
        }
        spdlog::error("{}: tick at {} lost: {}", path_.string(), tick.front().timestamp,
                      core::errno_text(e.code().value()));
    }
}

record::SinkReport CollectionFile::report() const {
    record::SinkReport r;
    r.delivered = written_;
    r.failed = lost_;
    return r;
}

std::uint64_t CollectionFile::size() const {
    try {
        return file_ ? file_->size() : 0;
    } catch (const std::system_error&) {
        return 0;
    }
}

std::size_t CollectionFile::finish(std::chrono::milliseconds /*drain_timeout*/) {
    try {
        if (file_) file_->sync();
    } catch (const std::system_error& e) {
        spdlog::warn("{}: fsync failed: {}", path_.string(), e.code().message());
    }
    return lost_;
}

}  // namespace pc::collect
