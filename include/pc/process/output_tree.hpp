// Output files that appear only when complete: each is written to a hidden temp name beside its
// final path and renamed into place by commit(); an uncommitted file is deleted.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace pc::process {

class AtomicOutputFile {
public:
    explicit AtomicOutputFile(std::filesystem::path final_path);
    ~AtomicOutputFile();  // removes the temp file unless committed
    AtomicOutputFile(const AtomicOutputFile&) = delete;
    AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

    // Buffer that callers append to; flushed to the temp file when large.
    std::string& buffer() { return buffer_; }
    void maybe_flush() {
        if (buffer_.size() >= kFlushAt) flush();
    }
    void flush();
    // Flushes, fsyncs and renames over the final path.
    void commit();
    const std::filesystem::path& path() const { return final_; }

private:
    static constexpr std::size_t kFlushAt = 1 << 16;
    std::filesystem::path final_;
    std::filesystem::path temp_;
    int fd_ = -1;
    bool committed_ = false;
    std::string buffer_;
};

// All files of one run, by path relative to the output directory.
class OutputTree {
public:
    // Creates `root` (and parents) when missing; throws UserError when impossible.
    explicit OutputTree(std::filesystem::path root);
    // The file at `relative` (created with its directories on first use).
    AtomicOutputFile& file(const std::string& relative);
    bool has(const std::string& relative) const { return files_.count(relative) != 0; }
    // Renames every file into place, then fsyncs the directories.
    void commit_all();
    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
    std::map<std::string, std::unique_ptr<AtomicOutputFile>, std::less<>> files_;
};

}  // namespace pc::process
