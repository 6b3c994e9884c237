-- The pool position of the provider key that answered (NULL: no attempt answered). With it the
-- log row is also the record of its answering attempt, so request_attempts keeps only the attempts
-- that failed, and a request answered at once costs one row instead of two.
ALTER TABLE request_logs ADD COLUMN key_index INTEGER;
