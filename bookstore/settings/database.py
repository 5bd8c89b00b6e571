"""Turns DATABASE_URL into Django's DATABASES entry, tuned per engine.

SQLite: WAL journal, a busy timeout and BEGIN IMMEDIATE so concurrent writers queue up instead of
failing with "database is locked". MySQL/MariaDB: utf8mb4, strict mode, InnoDB, READ COMMITTED.
"""

import dj_database_url

SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"


def database_from_url(url: str, *, conn_max_age: int = 0) -> dict:
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0)
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": SQLITE_INIT,
        }
    elif engine == "django.db.backends.mysql":
        config["OPTIONS"] = {
            "charset": "utf8mb4",
            "init_command": (
                "SET sql_mode='STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
                "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',"
                " default_storage_engine=INNODB,"
                " innodb_lock_wait_timeout=10"
            ),
            "isolation_level": "read committed",
        }
        config["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    return config
