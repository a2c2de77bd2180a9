"""The `scholarhub` console command, the demo runner and service orchestration."""
