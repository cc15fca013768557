// Runs independent tasks (fits on folds, candidates, features) over the cores.
// Each task must be seeded on its own, so the thread count changes no number.
// The first exception thrown by any task is rethrown once all have stopped,
// because an exception must not escape an OpenMP region.
#pragma once

#include <cstddef>
#include <exception>

namespace genrelab {

template <class Task>
void run_tasks(std::size_t n, bool concurrent, Task&& task) {
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) if (concurrent && n > 1)
  for (std::size_t i = 0; i < n; ++i) {
    try {
      task(i);
    } catch (...) {
#pragma omp critical(genrelab_task_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace genrelab
