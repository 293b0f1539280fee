# One helper per target kind (in the manner of Abseil's absl_cc_library).
#
# gugus_layer(NAME [FOLDERS dir...] DEPS ...) builds every *.cc in the calling folder
# (and in each FOLDERS subfolder: a layer's rooms, e.g. domain/justice) that is not a
# test (*_test.cc) or fuzz target (*_fuzz.cc) into the static library NAME, and every
# *_test.cc into the test program NAME_test, registered with CTest. Dependencies
# are PRIVATE unless listed under PUBLIC, so a wrong arrow between layers fails to
# compile.

set(GUGUS_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

if(GUGUS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzz builds instrument every library so that libFuzzer sees their coverage.
if(GUGUS_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

include(GoogleTest)

function(gugus_layer name)
  cmake_parse_arguments(L "" "" "PUBLIC;PRIVATE;TEST_DEPS;FOLDERS" ${ARGN})
  set(dirs ${CMAKE_CURRENT_SOURCE_DIR})
  foreach(folder IN LISTS L_FOLDERS)
    list(APPEND dirs ${CMAKE_CURRENT_SOURCE_DIR}/${folder})
  endforeach()
  list(TRANSFORM dirs APPEND /*.cc OUTPUT_VARIABLE patterns)
  file(GLOB srcs CONFIGURE_DEPENDS ${patterns})
  list(FILTER srcs EXCLUDE REGEX "_(test|fuzz)\\.cc$")
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_compile_options(${name} PRIVATE ${GUGUS_WARNINGS})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${name} PUBLIC ${L_PUBLIC} PRIVATE ${L_PRIVATE})
  else()  # a layer of headers only
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${name} INTERFACE ${L_PUBLIC} ${L_PRIVATE})
  endif()

  list(TRANSFORM dirs APPEND /*_test.cc OUTPUT_VARIABLE test_patterns)
  file(GLOB tests CONFIGURE_DEPENDS ${test_patterns})
  if(tests)
    gugus_test(${name}_test SOURCES ${tests} DEPS ${name} ${L_PUBLIC} ${L_PRIVATE}
               ${L_TEST_DEPS})
  endif()
endfunction()

# gugus_test(NAME SOURCES ... DEPS ... [PER_BACKEND backend... SELF_FILTER pattern]):
# a GoogleTest program registered with CTest.
# Tests run from the project root so that they find node_modules/ and tests/testdata.
# With PER_BACKEND each test is registered once per storage backend listed, as
# TEST/sqlite and TEST/postgres, the backend given in GUGUS_TEST_BACKEND
# (tests/test_support.h) and as a CTest label (ctest -L postgres); except the tests
# SELF_FILTER (a --gtest_filter pattern) matches, which choose their backends
# themselves (parameterised as Backends/…): registered once, under their own names,
# labelled sqlite+postgres.
function(gugus_test name)
  cmake_parse_arguments(T "" "SELF_FILTER" "SOURCES;DEPS;PER_BACKEND" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_compile_options(${name} PRIVATE ${GUGUS_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock
                        GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    GUGUS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    GUGUS_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT T_PER_BACKEND)
    gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                         DISCOVERY_TIMEOUT 60)
    return()
  endif()
  string(JOIN "+" every_backend ${T_PER_BACKEND})  # one label: -L postgres matches
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       DISCOVERY_TIMEOUT 60 TEST_FILTER "${T_SELF_FILTER}"
                       PROPERTIES LABELS "${every_backend}")
  foreach(backend IN LISTS T_PER_BACKEND)
    gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                         DISCOVERY_TIMEOUT 60 TEST_FILTER "-${T_SELF_FILTER}"
                         TEST_SUFFIX "/${backend}"
                         PROPERTIES ENVIRONMENT "GUGUS_TEST_BACKEND=${backend}"
                                    LABELS "${backend}")
  endforeach()
endfunction()
