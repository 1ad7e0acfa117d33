package io.xcomhybrid.json;

/** Class names and versions of the serde envelopes this codec maps to Java types (Airflow task-sdk serializers). */
final class Envelopes
{
    static final String CLASSNAME = "__classname__";
    static final String VERSION = "__version__";
    static final String DATA = "__data__";
    static final String SCHEMA_ID = "__id__";
    static final String OLD_TYPE = "__type";
    static final String OLD_DATA = "__var";
    static final String OLD_DICT = "dict";

    static final String TUPLE = "builtins.tuple";
    static final String SET = "builtins.set";
    static final String FROZENSET = "builtins.frozenset";
    static final int BUILTIN_VERSION = 1;

    static final String DATETIME = "datetime.datetime";
    static final String PENDULUM_DATETIME = "pendulum.datetime.DateTime";
    static final String DATE = "datetime.date";
    static final String PENDULUM_DATE = "pendulum.date.Date";
    static final String TIMEDELTA = "datetime.timedelta";
    static final int DATETIME_VERSION = 2;

    static final String FIXED_TIMEZONE = "pendulum.tz.timezone.FixedTimezone";
    static final String TIMEZONE = "pendulum.tz.timezone.Timezone";
    static final String ZONEINFO = "zoneinfo.ZoneInfo";
    static final int TIMEZONE_VERSION = 1;

    static final String DECIMAL = "decimal.Decimal";
    static final int DECIMAL_VERSION = 1;

    static final String UUID = "uuid.UUID";
    static final int UUID_VERSION = 1;

    static final String NUMPY_PREFIX = "numpy.";
    static final int NUMPY_VERSION = 1;

    private Envelopes() {}
}
