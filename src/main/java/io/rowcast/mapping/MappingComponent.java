package io.rowcast.mapping;

import java.nio.file.Path;
import java.util.Map;

import io.rowcast.config.EndpointOptions;
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
        // what is wrong fails this route's start, not the application's (see EndpointOptions)
        MappingEndpoint endpoint = new MappingEndpoint(uri, this, remaining == null ? "" : remaining);
        if (remaining == null || remaining.isBlank()) {
            endpoint.refuse("mapping: needs a file name, as in mapping:clevertap-charged.yaml");
            parameters.clear();
            return endpoint;
        }
        EndpointOptions.bindOrRefuse("mapping:" + remaining, parameters, "the mapping: step (it takes none)",
                () -> setProperties(endpoint, parameters), () -> { }, endpoint::refuse);
        return endpoint;
    }

    Path resolve(String file) {
        return Path.of(mappingsDir).resolve(file);
    }

    public String getMappingsDir() { return mappingsDir; }
    public void setMappingsDir(String mappingsDir) { this.mappingsDir = mappingsDir; }
}
