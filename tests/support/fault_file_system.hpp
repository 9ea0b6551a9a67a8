// A FileSystem for tests that fails on request: "the Nth write to a path containing X fails with
// ENOSPC", "a short write of k bytes, then EIO", "fdatasync fails once" (then works again, as a
// Linux write-back error is reported once), "crash here". It wraps a real one (POSIX by default)
// and passes every call through unless a fault matches.
//
// A crash freezes the files as they are at that moment: the call that crashes, and every later
// call that would change a file (write, sync, truncate, rename, remove, create...), throws
// SimulatedCrash (a std::system_error, EIO), so the store unwinds as from any I/O error and its
// destructor cannot write its clean stop. The test then destroys the store and opens a new one on
// the same directory: what the next start of a killed pcd would find (a process crash: what was
// written stays, synced or not).
//
// Test-only (in pc_testsupport, not in libpc): neither pcd nor pcc ships a way to make its writes
// fail, and every test executable can use it (unit_store, unit_spool, unit_server, integration).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <system_error>

#include "pc/io/file_system.hpp"
#include "pc/io/posix_file_system.hpp"

namespace pc::test {

enum class FsOp {
    open,
    write,
    read,
    sync_data,  // fdatasync
    sync,       // fsync
    truncate,
    size,
    sync_filesystem,  // syncfs
    rename,           // matched on the source path
    remove,
    create_directories,
    sync_directory,
    write_file_atomic,
    read_file,
    list,
};

struct Fault {
    FsOp op = FsOp::write;
    std::string path_contains = {};  // a substring of the path; empty: any path
    int error = EIO;                 // errno of the failure
    int skip = 0;                 // matching calls let through first (skip = N - 1: the Nth fails)
    int times = 1;                // matching calls that fail, then the fault is spent; -1: forever
    std::size_t short_write = 0;  // write: bytes really written before the failure
    bool after = false;           // the call takes effect, then fails (rename, write_file_atomic)
    bool crash = false;           // the process "dies" here (see above)
};

class SimulatedCrash : public std::system_error {
public:
    explicit SimulatedCrash(const std::string& where)
        : std::system_error(EIO, std::generic_category(), "simulated crash at " + where) {}
};

class FaultFileSystem final : public io::FileSystem {
public:
    explicit FaultFileSystem(
        std::shared_ptr<io::FileSystem> real = io::default_file_system());
    ~FaultFileSystem() override;

    // Adds a fault; returns its number for fired().
    std::size_t add(Fault fault);
    // Removes every fault (not a crash: a crashed file system stays crashed).
    void clear();
    // How many calls fault `id` failed.
    int fired(std::size_t id) const;
    bool crashed() const;
    // Calls made of `op` on paths containing `path_contains` (faulted or not).
    std::size_t calls(FsOp op, const std::string& path_contains = {}) const;

    std::unique_ptr<io::File> open(const std::filesystem::path& path, io::OpenMode mode,
                                      unsigned permissions = 0640) override;
    bool exists(const std::filesystem::path& path) override;
    bool is_directory(const std::filesystem::path& path) override;
    void create_directories(const std::filesystem::path& dir) override;
    bool set_permissions(const std::filesystem::path& path, unsigned permissions) override;
    std::vector<io::DirectoryEntry> list(const std::filesystem::path& dir) override;
    void rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
    bool remove(const std::filesystem::path& path) override;
    void sync_directory(const std::filesystem::path& dir) override;
    void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                           unsigned permissions) override;
    std::string read_file(const std::filesystem::path& path) override;

    struct State;  // shared with the files it opened (they may outlive it)

private:
    std::shared_ptr<io::FileSystem> real_;
    std::shared_ptr<State> state_;
};

}  // namespace pc::test
