// The store's I/O goes through the io module's seam (include/pc/io/file_system.hpp); the store
// names its types as its own.
#pragma once

#include "pc/io/file.hpp"
#include "pc/io/file_system.hpp"
#include "pc/io/posix_file_system.hpp"

namespace pc::store {

using io::default_file_system;
using io::DirectoryEntry;
using io::File;
using io::FileSystem;
using io::OpenMode;
using io::PosixFileSystem;

}  // namespace pc::store
