package io.rowcast.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.rowcast.config.RowcastProperties;

/**
 * The HTTP API's operations change what a sync sends (reset adopts rows unsent, resync sends everything again):
 * with {@code rowcast.api-token} set, a POST under {@code /syncs} needs {@code Authorization: Bearer <token>},
 * which a cross-site form cannot send either. Reading the ledger stays open, as the health endpoint is.
 */
@Configuration
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
public class ApiToken implements WebMvcConfigurer, HandlerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(ApiToken.class);

    private final byte[] expected;

    public ApiToken(RowcastProperties properties) {
        String token = properties.getApiToken();
        this.expected = token == null || token.isBlank() ? null : ("Bearer " + token.strip()).getBytes(StandardCharsets.UTF_8);
        if (expected == null) {
            LOG.warn("The HTTP API's operations (POST /syncs/<route-id>/runs, resync, reset, retry-dead) are open to anyone"
                    + " who reaches this port: set rowcast.api-token (ROWCAST_API_TOKEN) to require a bearer token");
        }
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/syncs/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (expected == null || !"POST".equalsIgnoreCase(request.getMethod())) {
            return true;
        }
        String given = request.getHeader("Authorization");
        // (compared in constant time: how long the comparison took says nothing of the token)
        if (given != null && MessageDigest.isEqual(expected, given.strip().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"this operation needs the header Authorization: Bearer <rowcast.api-token>\"}");
        return false;
    }
}
