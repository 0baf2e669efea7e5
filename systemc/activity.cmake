# Activity (eligo cosim --activity, systemc/activity.hpp): the same --cc models verilated again with
# toggle coverage (--coverage-toggle counts every change of every signal bit up to 256 bits wide).
# The SRAM arrays (sram.sv mem_q) are left out by a Verilator control file: their energy is the
# table's per-access SRAM energy, not toggles. The toggle code makes the generated C++ about 6x
# larger than the plain model's (13 MB for 40-40-2, 8 MB for 20-10-2): compiled with -Os (-O0
# for the once-only "Slow" files) both take 2.4 CPU-minutes (measured: 3 min 21 s wall on a
# shared 2-core machine, ccache makes rebuilds free); at -O3 they were on course for half an hour.
# Simulation with toggle counting: about 5x the co-simulation time (bench/bench_activity.py).
# activity.cpp prices toggles with the energy table (golden_model/energy), with or without the models.
target_link_libraries(eligo_cosim PUBLIC eligo_energy)
option(ELIGO_ACTIVITY "Toggle-counting variants of the verilated core (eligo cosim --activity)" ON)
# The configurations with a toggle-counting model (keep in step with activity_models.cpp).
set(ELIGO_ACTIVITY_CONFIGS r40x40x2_l4 r20x10x2_l2)
# Only the configurations this build verilates (ELIGO_RTL_MODELS) get one.
set(_activity_wanted FALSE)
foreach(_name ${ELIGO_ACTIVITY_CONFIGS})
  if(_name IN_LIST ELIGO_RTL_BUILT)
    set(_activity_wanted TRUE)
  endif()
endforeach()
if(ELIGO_ACTIVITY AND _activity_wanted)
  eligo_sram_coverage_off(${CMAKE_CURRENT_BINARY_DIR}/activity.vlt)
  add_library(eligo_rtl_cov STATIC)
  foreach(_cfg ${ELIGO_RTL_CONFIGS})  # name NI NR NO NA LANES ST (CMakeLists.txt)
    separate_arguments(_c UNIX_COMMAND "${_cfg}")
    list(POP_FRONT _c _name _ni _nr _no _na _l _st)
    if(NOT _name IN_LIST ELIGO_ACTIVITY_CONFIGS OR NOT _name IN_LIST ELIGO_RTL_BUILT)
      continue()
    endif()
    target_compile_definitions(eligo_cosim PUBLIC ELIGO_ACTIVITY_${_name}=1)
    verilate(eligo_rtl_cov SOURCES ${CMAKE_CURRENT_BINARY_DIR}/activity.vlt ${ELIGO_RTL_LINT} ${ELIGO_RTL_SOURCES}
             TOP_MODULE eligo_core PREFIX Vcov_${_name} DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/Vcov_${_name}
             OPT_FAST -Os OPT_SLOW -O0
             VERILATOR_ARGS -O3 -Wno-fatal -Werror-USERFATAL --coverage-toggle -GNumIn=${_ni} -GNumRec=${_nr} -GNumOut=${_no}
                            -GNumAlif=${_na} -GLanes=${_l} -GSynTraces=${_st})
  endforeach()
  target_compile_options(eligo_rtl_cov PRIVATE -w)
  get_target_property(_vl_cov_inc eligo_rtl_cov INCLUDE_DIRECTORIES)
  target_link_libraries(eligo_cosim PUBLIC eligo_rtl_cov)
  target_include_directories(eligo_cosim SYSTEM PUBLIC ${_vl_cov_inc})
  target_compile_definitions(eligo_cosim PUBLIC ELIGO_HAVE_ACTIVITY=1)
endif()
