# Install-time part of cmake/Install.cmake (runs inside `cmake --install` and cpack, where
# CMAKE_INSTALL_PREFIX is the effective prefix): renders the systemd units with the real
# installed paths and installs the /etc/default environment files without replacing an
# administrator's copy.

function(pc_absolute out rel)
  if(IS_ABSOLUTE "${rel}")
    set(${out} "${rel}" PARENT_SCOPE)
  else()
    set(${out} "${CMAKE_INSTALL_PREFIX}/${rel}" PARENT_SCOPE)
  endif()
endfunction()

pc_absolute(PC_BINDIR "${PC_REL_BINDIR}")
pc_absolute(PC_DOCDIR "${PC_REL_DOCDIR}")
pc_absolute(PC_UNITDIR "${PC_REL_UNITDIR}")
# GNU rule (as GNUInstallDirs): the /usr prefix keeps its configuration in /etc.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" AND PC_REL_SYSCONFDIR STREQUAL "etc")
  set(PC_SYSCONFDIR "/etc")
else()
  pc_absolute(PC_SYSCONFDIR "${PC_REL_SYSCONFDIR}")
endif()

# pcc started as pcc-container-linux is the original's container collector (docs/pcc.md): a
# relative link, so it follows the prefix and DESTDIR.
set(link "$ENV{DESTDIR}${PC_BINDIR}/pcc-container-linux")
file(REMOVE "${link}")
file(CREATE_LINK pcc "${link}" SYMBOLIC)
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${link}")
message(STATUS "Installing: ${link} -> pcc")

set(units pcd.service pcc.service pcc-periodic.service pcc.timer)
# One scratch directory per destination, so concurrent installs (tests) never share one.
string(MD5 destination_hash "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(scratch "${PC_STAGING_DIR}/units-${destination_hash}")
file(REMOVE_RECURSE "${scratch}")
set(rendered "")
foreach(unit IN LISTS units)
  configure_file("${PC_SOURCE_DIR}/packaging/systemd/${unit}.in" "${scratch}/${unit}" @ONLY)
  list(APPEND rendered "${scratch}/${unit}")
endforeach()
# file(INSTALL) honours DESTDIR, prints "-- Installing:" and records the install manifest.
file(INSTALL DESTINATION "${PC_UNITDIR}" TYPE FILE FILES ${rendered})
file(REMOVE_RECURSE "${scratch}")

# /etc/default/pcc may hold PCC_APIKEY: readable by root only (systemd reads it as root).
foreach(name pcd pcc)
  set(target "$ENV{DESTDIR}${PC_SYSCONFDIR}/default/${name}")
  if(EXISTS "${target}")
    message(STATUS "Keeping existing: ${target} (the shipped version is in ${PC_DOCDIR}/examples/default/${name})")
  else()
    if(name STREQUAL "pcc")
      set(mode OWNER_READ OWNER_WRITE)
    else()
      set(mode OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    endif()
    file(INSTALL DESTINATION "${PC_SYSCONFDIR}/default" TYPE FILE PERMISSIONS ${mode}
         FILES "${PC_SOURCE_DIR}/packaging/default/${name}")
  endif()
endforeach()
