#include "fault_file_system.hpp"

#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace pc::test {

namespace {

const char* name_of(FsOp op) {
    switch (op) {
        case FsOp::open:
            return "open";
        case FsOp::write:
            return "write";
        case FsOp::read:
            return "read";
        case FsOp::sync_data:
            return "fdatasync";
        case FsOp::sync:
            return "fsync";
        case FsOp::truncate:
            return "truncate";
        case FsOp::size:
            return "stat";
        case FsOp::sync_filesystem:
            return "syncfs";
        case FsOp::rename:
            return "rename";
        case FsOp::remove:
            return "remove";
        case FsOp::create_directories:
            return "create directories";
        case FsOp::sync_directory:
            return "fsync directory";
        case FsOp::write_file_atomic:
            return "write atomically";
        case FsOp::read_file:
            return "read";
        case FsOp::list:
            return "list";
    }
    return "?";
}

// Calls that change what is on disk: refused once crashed.
bool changes(FsOp op, bool creating) {
    switch (op) {
        case FsOp::open:
            return creating;
        case FsOp::read:
        case FsOp::size:
        case FsOp::read_file:
        case FsOp::list:
            return false;
        default:
            return true;
    }
}

}  // namespace

struct FaultFileSystem::State {
    struct Rule {
        Fault fault;
        int fired = 0;
    };
    struct Call {
        FsOp op;
        std::string path;
    };

    mutable std::mutex mutex;
    std::vector<Rule> rules;
    std::vector<Call> calls;
    bool crashed = false;

    // The fault this call meets, if any; throws SimulatedCrash once crashed.
    std::optional<Fault> decide(FsOp op, const std::filesystem::path& path, bool creating = false) {
        std::lock_guard lock(mutex);
        const std::string p = path.string();
        calls.push_back({op, p});
        if (crashed && changes(op, creating)) {
            throw SimulatedCrash(std::string(name_of(op)) + " " + p + " (after the crash)");
        }
        for (auto& rule : rules) {
            Fault& f = rule.fault;
            if (f.op != op || f.times == 0) continue;
            if (!f.path_contains.empty() && p.find(f.path_contains) == std::string::npos) continue;
            if (f.skip > 0) {
                --f.skip;
                continue;
            }
            if (f.times > 0) --f.times;
            ++rule.fired;
            if (f.crash) crashed = true;
            return f;
        }
        return std::nullopt;
    }

    // Runs `real` unless a fault says otherwise (then it runs it first when `after`).
    template <class Real>
    auto run(FsOp op, const std::filesystem::path& path, Real&& real, bool creating = false) {
        auto fault = decide(op, path, creating);
        if (!fault) return real();
        if constexpr (std::is_void_v<decltype(real())>) {
            if (fault->after) real();
        }
        fail(*fault, op, path);
    }

    [[noreturn]] static void fail(const Fault& f, FsOp op, const std::filesystem::path& path) {
        const std::string where = std::string(name_of(op)) + " " + path.string();
        if (f.crash) throw SimulatedCrash(where);
        // As the POSIX one: a write's or read's error names no path.
        throw std::system_error(f.error, std::generic_category(),
                                op == FsOp::write || op == FsOp::read ? name_of(op) : where);
    }
};

namespace {

class FaultFile final : public io::File {
public:
    FaultFile(std::unique_ptr<io::File> real, std::shared_ptr<FaultFileSystem::State> state)
        : File(real->path()), real_(std::move(real)), state_(std::move(state)) {}

    void write_at(std::string_view data, std::uint64_t offset) override {
        auto fault = state_->decide(FsOp::write, path());
        if (!fault) return real_->write_at(data, offset);
        if (fault->short_write > 0) {
            real_->write_at(data.substr(0, std::min(fault->short_write, data.size())), offset);
        } else if (fault->after) {
            real_->write_at(data, offset);
        }
        FaultFileSystem::State::fail(*fault, FsOp::write, path());
    }
    std::size_t read_at(char* out, std::size_t length, std::uint64_t offset) override {
        return state_->run(FsOp::read, path(), [&] { return real_->read_at(out, length, offset); });
    }
    void sync_data() override {
        state_->run(FsOp::sync_data, path(), [&] { real_->sync_data(); });
    }
    void sync() override {
        state_->run(FsOp::sync, path(), [&] { real_->sync(); });
    }
    void truncate(std::uint64_t size) override {
        state_->run(FsOp::truncate, path(), [&] { real_->truncate(size); });
    }
    std::uint64_t size() override {
        return state_->run(FsOp::size, path(), [&] { return real_->size(); });
    }
    unsigned permissions() override { return real_->permissions(); }
    void sync_filesystem() override {
        state_->run(FsOp::sync_filesystem, path(), [&] { real_->sync_filesystem(); });
    }

private:
    std::unique_ptr<io::File> real_;
    std::shared_ptr<FaultFileSystem::State> state_;
};

}  // namespace

FaultFileSystem::FaultFileSystem(std::shared_ptr<io::FileSystem> real)
    : real_(std::move(real)), state_(std::make_shared<State>()) {}

FaultFileSystem::~FaultFileSystem() = default;

std::size_t FaultFileSystem::add(Fault fault) {
    std::lock_guard lock(state_->mutex);
    state_->rules.push_back({std::move(fault), 0});
    return state_->rules.size() - 1;
}

void FaultFileSystem::clear() {
    std::lock_guard lock(state_->mutex);
    for (auto& rule : state_->rules) rule.fault.times = 0;  // kept for fired()
}

int FaultFileSystem::fired(std::size_t id) const {
    std::lock_guard lock(state_->mutex);
    return state_->rules.at(id).fired;
}

bool FaultFileSystem::crashed() const {
    std::lock_guard lock(state_->mutex);
    return state_->crashed;
}

std::size_t FaultFileSystem::calls(FsOp op, const std::string& path_contains) const {
    std::lock_guard lock(state_->mutex);
    std::size_t n = 0;
    for (const auto& call : state_->calls) {
        if (call.op == op && call.path.find(path_contains) != std::string::npos) ++n;
    }
    return n;
}

std::unique_ptr<io::File> FaultFileSystem::open(const std::filesystem::path& path,
                                                io::OpenMode mode, unsigned permissions) {
    const bool creating = mode == io::OpenMode::create || mode == io::OpenMode::replace ||
                          mode == io::OpenMode::append;
    auto real = state_->run(
        FsOp::open, path, [&] { return real_->open(path, mode, permissions); }, creating);
    return std::make_unique<FaultFile>(std::move(real), state_);
}

bool FaultFileSystem::exists(const std::filesystem::path& path) {
    return real_->exists(path);
}

bool FaultFileSystem::is_directory(const std::filesystem::path& path) {
    return real_->is_directory(path);
}

void FaultFileSystem::create_directories(const std::filesystem::path& dir) {
    state_->run(FsOp::create_directories, dir, [&] { real_->create_directories(dir); });
}

bool FaultFileSystem::set_permissions(const std::filesystem::path& path, unsigned permissions) {
    return real_->set_permissions(path, permissions);
}

std::vector<io::DirectoryEntry> FaultFileSystem::list(const std::filesystem::path& dir) {
    return state_->run(FsOp::list, dir, [&] { return real_->list(dir); });
}

void FaultFileSystem::rename(const std::filesystem::path& from, const std::filesystem::path& to) {
    state_->run(FsOp::rename, from, [&] { real_->rename(from, to); });
}

bool FaultFileSystem::remove(const std::filesystem::path& path) {
    return state_->run(FsOp::remove, path, [&] { return real_->remove(path); });
}

void FaultFileSystem::sync_directory(const std::filesystem::path& dir) {
    state_->run(FsOp::sync_directory, dir, [&] { real_->sync_directory(dir); });
}

void FaultFileSystem::write_file_atomic(const std::filesystem::path& path, std::string_view content,
                                        unsigned permissions) {
    state_->run(FsOp::write_file_atomic, path,
                [&] { real_->write_file_atomic(path, content, permissions); });
}

std::string FaultFileSystem::read_file(const std::filesystem::path& path) {
    return state_->run(FsOp::read_file, path, [&] { return real_->read_file(path); });
}

}  // namespace pc::test
