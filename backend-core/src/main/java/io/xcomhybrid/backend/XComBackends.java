package io.xcomhybrid.backend;

import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.ConfigValue;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the backend named by {@code [core] xcom_backend}. Airflow's class paths map to the built-in backends; any
 * other value is a Java class implementing {@link XComBackend}.
 */
public final class XComBackends
{
    public static final String SECTION = "core";
    public static final String KEY = "xcom_backend";

    private static final Set<String> DATABASE_NAMES = Set.of(
            DatabaseXComBackend.AIRFLOW_CLASS,
            "airflow.models.xcom.XCom",
            "airflow.sdk.bases.xcom.BaseXCom",
            "airflow.sdk.execution_time.xcom.BaseXCom",
            DatabaseXComBackend.class.getName());

    private static final Set<String> OBJECT_STORAGE_NAMES = Set.of(
            ObjectStorageXComBackend.AIRFLOW_CLASS,
            ObjectStorageXComBackend.class.getName());

    private XComBackends() {}

    public static XComBackend create(XComBackendContext context)
    {
        Optional<ConfigValue> setting = context.config().lookup(SECTION, KEY).filter(value -> !value.value().isBlank());
        String name = setting.map(value -> value.value().trim()).orElse(DatabaseXComBackend.AIRFLOW_CLASS);
        if (DATABASE_NAMES.contains(name)) {
            return new DatabaseXComBackend(context);
        }
        if (OBJECT_STORAGE_NAMES.contains(name)) {
            return new ObjectStorageXComBackend(context);
        }
        return loadCustom(name, setting.orElseThrow(), context);
    }

    private static XComBackend loadCustom(String className, ConfigValue setting, XComBackendContext context)
    {
        Class<?> type;
        try {
            type = Class.forName(className, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader()
                    : XComBackends.class.getClassLoader());
        }
        catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException(setting.describe() + ": '" + className + "' is neither one of Airflow's backends ("
                    + ObjectStorageXComBackend.AIRFLOW_CLASS + ", " + DatabaseXComBackend.AIRFLOW_CLASS
                    + ") nor a Java class on the class path (a Python backend cannot run on the JVM)", e);
        }
        if (!XComBackend.class.isAssignableFrom(type)) {
            throw new ConfigException(setting.describe() + ": class " + className + " does not implement " + XComBackend.class.getName());
        }
        try {
            try {
                Constructor<?> constructor = type.getConstructor(XComBackendContext.class);
                return (XComBackend) constructor.newInstance(context);
            }
            catch (NoSuchMethodException e) {
                return (XComBackend) type.getConstructor().newInstance();
            }
        }
        catch (NoSuchMethodException e) {
            throw new ConfigException(setting.describe() + ": class " + className + " needs a public constructor taking "
                    + XComBackendContext.class.getSimpleName() + " or a public no-argument constructor", e);
        }
        catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException configException) {
                throw configException;
            }
            throw new ConfigException(setting.describe() + ": creating " + className + " failed: " + cause, cause);
        }
        catch (ReflectiveOperationException e) {
            throw new ConfigException(setting.describe() + ": cannot instantiate " + className + ": " + e, e);
        }
    }
}
