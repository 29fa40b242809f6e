"""What the runner measures besides latency: server memory and CPU, and the environment."""
