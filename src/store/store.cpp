#include "pc/store/store.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "pc/api/trickle.hpp"
#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"

namespace pc::store {

namespace {

void make_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw UserError("cannot create data directory " + dir.string() + ": " + ec.message());
    }
    ::chmod(dir.c_str(), 0750);
    fsync_directory(dir.parent_path());
}

}  // namespace

Store::Store(StoreOptions options) : options_(std::move(options)) {
    make_dir(options_.datadir);
    make_dir(options_.datadir / ".index");
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(options_.datadir, ec)) {
        const auto& path = entry.path();
        if (path.extension() != ".json" || !entry.is_regular_file()) continue;
        std::string id = path.stem().string();
        if (!api::valid_identifier(id)) {
            spdlog::warn("store: ignoring {}: not a valid machine identifier", path.string());
            continue;
        }
        machines_.emplace(id, std::make_unique<MachineLog>(options_, id));
    }
    if (ec) {
        throw UserError("cannot list data directory " + options_.datadir.string() + ": " +
                        ec.message());
    }
}

MachineLog& Store::machine(std::string_view identifier) {
    std::string id(identifier);
    {
        std::shared_lock lock(mutex_);
        if (auto it = machines_.find(id); it != machines_.end()) return *it->second;
    }
    std::unique_lock lock(mutex_);
    auto it = machines_.find(id);
    if (it == machines_.end()) {
        it = machines_.emplace(id, std::make_unique<MachineLog>(options_, id)).first;
        spdlog::info("store: new machine {}", id);
    }
    return *it->second;
}

AppendOutcome Store::append(std::string_view identifier, const std::vector<Record>& records,
                            const std::optional<std::string>& batch_id) {
    if (!api::valid_identifier(identifier)) {
        throw std::invalid_argument("invalid machine identifier");
    }
    MachineLog* log = nullptr;
    try {
        log = &machine(identifier);
    } catch (const std::exception& ex) {
        spdlog::error("store: {}: cannot open collection: {}", identifier, ex.what());
        return {AppendOutcome::Status::failed, std::string("storage failed: ") + ex.what(), 0};
    }
    return log->append(records, batch_id);
}

std::vector<api::MachineSummary> Store::machines() const {
    std::vector<api::MachineSummary> out;
    {
        std::shared_lock lock(mutex_);
        out.reserve(machines_.size());
        for (const auto& [id, log] : machines_) out.push_back(log->summary());
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.identifier < b.identifier; });
    return out;
}

std::optional<CollectionSnapshot> Store::snapshot(std::string_view identifier) const {
    std::shared_lock lock(mutex_);
    auto it = machines_.find(std::string(identifier));
    if (it == machines_.end()) return std::nullopt;
    return CollectionSnapshot{it->second->data_path(), it->second->durable_size()};
}

std::size_t Store::machine_count() const {
    std::shared_lock lock(mutex_);
    return machines_.size();
}

}  // namespace pc::store
