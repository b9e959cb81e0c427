"""Local fakes of the outside world (exchange, webhook receivers) for tests: 127.0.0.1 only."""
