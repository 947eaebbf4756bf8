package io.rowcast.mapping;

import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** {@code mapping:<file>}: maps each row of a batch to a destination record with a mapping file. */
@Component("mapping")
public class MappingComponent extends DefaultComponent {

    @Metadata(defaultValue = "mappings", description = "Folder that mapping file names are resolved against")
    private String mappingsDir = "mappings";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("mapping: needs a file name, as in mapping:clevertap-charged.yaml");
        }
        MappingEndpoint endpoint = new MappingEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    Path resolve(String file) {
        return Path.of(mappingsDir).resolve(file);
    }

    public String getMappingsDir() { return mappingsDir; }
    public void setMappingsDir(String mappingsDir) { this.mappingsDir = mappingsDir; }
}
