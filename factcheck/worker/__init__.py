"""`factcheck worker`: runs the jobs the services queue (factcheck/services/jobs.py).

The queue is procrastinate's, in PostgreSQL: any number of worker processes on
any number of hosts take jobs from it (each job runs once at a time; a job
whose worker died is retried, see app.py), with no broker to run.
"""
