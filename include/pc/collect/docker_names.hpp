// Docker container names from the daemon's own files, without asking the daemon: the "Name" of
// <docker root>/containers/<id>/config.v2.json, read once per container.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pc::collect {

// The top-level "Name" of a config.v2.json without its leading '/'; "" when absent. Nested
// objects (mount points, networks) have "Name" keys of their own and are skipped.
std::string docker_name_from_config(std::string_view json);

class DockerNames {
public:
    explicit DockerNames(std::filesystem::path docker_root) : root_(std::move(docker_root)) {}

    // The name of container `id` ("" when its file is unreadable or has none). The file is read
    // on the first call for an id only; the answer is kept until forget_others() drops it.
    const std::string& name(const std::string& id);
    // Starts a tick: ids not asked for since the previous call are forgotten (stopped containers).
    void forget_others();
    std::size_t cached() const { return names_.size(); }

private:
    struct Entry {
        std::string name;
        bool seen = true;
    };
    std::filesystem::path root_;
    std::unordered_map<std::string, Entry> names_;
};

}  // namespace pc::collect
