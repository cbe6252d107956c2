package io.keyline.etcdctl.output;

import io.keyline.api.etcdserverpb.ResponseHeader;
import java.util.Map;

/**
 * The Go client wraps some responses in structs that embed *ResponseHeader; encoding/json then
 * lifts the header's fields to the top level of the object.
 */
public final class Headers {
    private Headers() {}

    public static Map<String, Object> flattened(boolean present, ResponseHeader h) {
        Map<String, Object> obj = GoJson.object();
        if (present) {
            obj.putAll(ProtoJson.of(h));
        }
        return obj;
    }
}
