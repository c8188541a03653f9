# What a packaged tool ships beside its binary: the version line with the git commit, the
# followup(1) man page (scdoc), shell completions, the licence and changelog, and a Debian
# package built by CPack (`cpack -G DEB`, see scripts/package.sh).

option(FOLLOWUP_MANPAGE "Build and install the followup(1) man page (needs scdoc)" ON)
set(FOLLOWUP_ZSH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions"
    CACHE STRING "Where the zsh completion is installed, relative to the prefix")

# --version: "followup 0.1.0 (abc1234)" in a git checkout, "followup 0.1.0" from a tarball. The
# commit is read when CMake configures; a new commit re-runs the configuration.
set(FOLLOWUP_VERSION_LINE "followup ${PROJECT_VERSION}")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=7 HEAD
                  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE FOLLOWUP_COMMIT
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE git_status)
  if(git_status EQUAL 0 AND FOLLOWUP_COMMIT)
    set(FOLLOWUP_VERSION_LINE "followup ${PROJECT_VERSION} (${FOLLOWUP_COMMIT})")
    # HEAD, and the branch it points to, decide the commit: reconfigure when they move.
    execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --symbolic-full-name HEAD
                    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE branch
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    foreach(ref HEAD ${branch} packed-refs)
      execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --path-format=absolute --git-path
                              "${ref}"
                      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE ref_path
                      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(ref_path AND EXISTS "${ref_path}")
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${ref_path}")
      endif()
    endforeach()
  endif()
endif()
# Only app.cpp prints it: a new commit recompiles that one file.
set_property(SOURCE "${PROJECT_SOURCE_DIR}/src/cli/app.cpp" TARGET_DIRECTORY followup_cli APPEND
             PROPERTY COMPILE_DEFINITIONS "FOLLOWUP_VERSION_LINE=\"${FOLLOWUP_VERSION_LINE}\"")

# The man page: one source, docs/followup.1.scd, rendered by scdoc and compressed for man-db.
if(FOLLOWUP_MANPAGE)
  find_program(SCDOC scdoc)
  if(NOT SCDOC)
    message(FATAL_ERROR "scdoc not found: install it (scripts/deps.sh), or configure with "
                        "-DFOLLOWUP_MANPAGE=OFF")
  endif()
  set(man_source "${PROJECT_SOURCE_DIR}/docs/followup.1.scd")
  set(man_page "${PROJECT_BINARY_DIR}/docs/followup.1")
  add_custom_command(
    OUTPUT "${man_page}" "${man_page}.gz"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${PROJECT_BINARY_DIR}/docs"
    COMMAND sh -c "\"$0\" < \"$1\" > \"$2\" && gzip -9n < \"$2\" > \"$2.gz\"" "${SCDOC}"
            "${man_source}" "${man_page}"
    DEPENDS "${man_source}"
    COMMENT "Rendering followup(1) with scdoc"
    VERBATIM)
  add_custom_target(manpage ALL DEPENDS "${man_page}" "${man_page}.gz")
  install(FILES "${man_page}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
endif()

# Completions, each where its shell looks (see completions/README.md).
install(FILES completions/followup.bash DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
        RENAME followup)
install(FILES completions/_followup DESTINATION "${FOLLOWUP_ZSH_COMPLETION_DIR}")
install(FILES completions/followup.fish DESTINATION "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d")

# The licence in Debian's machine-readable form, and the changelog, compressed.
file(READ "${PROJECT_SOURCE_DIR}/LICENSE" license_text)
string(REGEX REPLACE "\n\n" "\n.\n" license_text "${license_text}")
string(REGEX REPLACE "\n([^\n])" "\n \\1" license_text "${license_text}")
file(WRITE "${PROJECT_BINARY_DIR}/copyright"
     "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
     "Upstream-Name: followup\n"
     "\n"
     "Files: *\n"
     "Copyright: 2026 The followup authors\n"
     "License: Expat\n"
     " ${license_text}")
set(changelog_gz "${PROJECT_BINARY_DIR}/changelog.gz")
add_custom_command(
  OUTPUT "${changelog_gz}"
  COMMAND sh -c "gzip -9n < \"$0\" > \"$1\"" "${PROJECT_SOURCE_DIR}/CHANGELOG.md" "${changelog_gz}"
  DEPENDS "${PROJECT_SOURCE_DIR}/CHANGELOG.md"
  VERBATIM)
add_custom_target(changelog ALL DEPENDS "${changelog_gz}")
install(FILES "${PROJECT_BINARY_DIR}/copyright" "${changelog_gz}"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# The Debian package: `cpack -G DEB` in a Release build (scripts/package.sh).
set(CPACK_PACKAGE_NAME followup)
set(CPACK_PACKAGE_VENDOR "The followup authors")
set(CPACK_PACKAGE_CONTACT "The followup authors <maintainers@users.noreply.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "never let a networking follow-up fall through the cracks")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "followup schedules the 24/7/30 system for every person you meet (a note within 24 hours, "
       "a connection within 7 days, a one-to-one within 30 days), tells you every morning whom "
       "to write to, and tracks referrals, promises and keep-in-touch cadences in one SQLite "
       "file.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libical (the ICS export) and libpq (a PostgreSQL database) are opened at run time (dlopen),
# so dpkg-shlibdeps cannot see them.
# libutf8proc2 (name matching) is linked; dpkg-shlibdeps finds it too, named here for clarity.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libical3, libpq5, libutf8proc2")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/followup")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libnotify-bin, tzdata")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, vdirsyncer")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

# The end-to-end tests read the completions from the source and render the built man page.
if(TARGET cli_tests)
  target_compile_definitions(cli_tests PRIVATE FOLLOWUP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                               FOLLOWUP_MAN_PAGE="${PROJECT_BINARY_DIR}/docs/followup.1")
  if(TARGET manpage)
    add_dependencies(cli_tests manpage)
  endif()
endif()
