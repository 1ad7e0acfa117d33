package io.xcomhybrid.config;

import java.util.Collection;
import java.util.Set;

/** Maps the section part of an {@code AIRFLOW__SECTION__KEY} variable back to a section name that may contain dots. */
final class KnownSections
{
    private static final Set<String> DOTTED = Set.of("common.io", "xcom_hybrid");

    private KnownSections() {}

    static String fromEnvironmentName(String envSection, Collection<ConfigValue> fileValues)
    {
        for (String dotted : DOTTED) {
            if (dotted.replace('.', '_').equals(envSection)) {
                return dotted;
            }
        }
        for (ConfigValue value : fileValues) {
            if (value.section().replace('.', '_').equals(envSection)) {
                return value.section();
            }
        }
        return envSection;
    }
}
