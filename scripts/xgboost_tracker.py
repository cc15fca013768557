#!/usr/bin/python3
"""XGBoost's Rabit tracker (Debian's python3-xgboost 1.7) for genrelab's
distributed training, with ranks in task-id order.

The tracker only introduces the workers to each other; the training traffic
goes between them. It prints the variables each worker needs, one KEY=VALUE
per line on standard output:

    DMLC_NUM_WORKER=4
    DMLC_TRACKER_URI=10.0.0.1
    DMLC_TRACKER_PORT=9091

then runs until every worker has finished. `genrelab launch` runs this same
script (built into genrelab); on a cluster, run it yourself on one node (see
README, "When one machine is not enough").

    python3 scripts/xgboost_tracker.py --workers 4 --host "$(hostname -i)"

`python3 -m xgboost.tracker --num-workers 4` works too, but ranks workers in
the order they connect; here worker DMLC_TASK_ID=K is rank K, so the worker
that writes the model (rank 0) is the one given task id 0 and a rerun sums
the histograms in the same order.
"""
import argparse
import logging
import sys

from xgboost.tracker import RabitTracker


class TaskOrderTracker(RabitTracker):
    """Ranks workers by DMLC_TASK_ID read as a number (0, 1, 2, ..., 10)."""

    def _sort_pending(self, pending):
        def key(worker):
            try:
                return (0, int(worker.task_id), "")
            except ValueError:
                return (1, 0, worker.task_id)

        pending.sort(key=key)
        return pending


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, required=True, help="number of workers that will join")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address the workers reach this tracker at (default 127.0.0.1: one machine)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default 0: any free port)")
    args = parser.parse_args()
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    # The tracker's own progress ("@tracker All of 4 nodes getting started")
    # goes to stderr; genrelab launch watches for it.
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    tracker = TaskOrderTracker(args.host, args.workers, args.port, sortby="task")
    env = {"DMLC_NUM_WORKER": args.workers}
    env.update(tracker.worker_envs())
    tracker.start(args.workers)
    for key, value in env.items():
        print(f"{key}={value}")
    sys.stdout.flush()
    tracker.join()


if __name__ == "__main__":
    main()
