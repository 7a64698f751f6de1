"""Business rules. Plain arguments and a session in, plain results out.

Services own the transaction: each public function that changes data commits
on success and rolls back on failure, and raises one of the exceptions in
``errors`` that the web layer, the API and the CLI turn into messages.
"""
