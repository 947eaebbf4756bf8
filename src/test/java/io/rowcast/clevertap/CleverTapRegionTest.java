package io.rowcast.clevertap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CleverTapRegionTest {

    @Test
    void europeIsTheDefaultAndHasNoPrefix() {
        assertThat(CleverTapRegion.baseUrl(null)).isEqualTo("https://api.clevertap.com");
        assertThat(CleverTapRegion.baseUrl("eu")).isEqualTo("https://api.clevertap.com");
        assertThat(CleverTapRegion.baseUrl("EU1")).isEqualTo("https://api.clevertap.com");
    }

    @Test
    void otherRegionsArePrefixed() {
        assertThat(CleverTapRegion.baseUrl("in1")).isEqualTo("https://in1.api.clevertap.com");
        assertThat(CleverTapRegion.baseUrl("sg1")).isEqualTo("https://sg1.api.clevertap.com");
        assertThat(CleverTapRegion.baseUrl("us1")).isEqualTo("https://us1.api.clevertap.com");
        assertThat(CleverTapRegion.baseUrl("aps3")).isEqualTo("https://aps3.api.clevertap.com");
        assertThat(CleverTapRegion.baseUrl("mec1")).isEqualTo("https://mec1.api.clevertap.com");
    }

    @Test
    void anUnknownRegionSaysWhichExist() {
        assertThatThrownBy(() -> CleverTapRegion.baseUrl("sk1"))
                .hasMessageContaining("unknown CleverTap region 'sk1'").hasMessageContaining("in1, sg1, us1, aps3 or mec1");
    }
}
