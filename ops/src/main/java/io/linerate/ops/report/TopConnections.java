package io.linerate.ops.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code limit} connections with the largest key (ties: the earlier connection first), kept as
 * rows; a flow is only turned into a row when it gets in.
 */
final class TopConnections
{
    private final int limit;
    private final List<Long> keys = new ArrayList<>();
    private final List<ConnectionRow> rows = new ArrayList<>();

    TopConnections(final int limit)
    {
        this.limit = limit;
    }

    /** True when a connection with this key and first frame would get in. */
    boolean admits(final long key, final long firstFrame)
    {
        if (limit == 0)
        {
            return false;
        }
        if (rows.size() < limit)
        {
            return true;
        }
        return before(key, firstFrame, keys.get(limit - 1), rows.get(limit - 1).firstFrame());
    }

    void add(final long key, final ConnectionRow row)
    {
        int i = rows.size();
        while (i > 0 && before(key, row.firstFrame(), keys.get(i - 1), rows.get(i - 1).firstFrame()))
        {
            i--;
        }
        keys.add(i, key);
        rows.add(i, row);
        if (rows.size() > limit)
        {
            keys.remove(limit);
            rows.remove(limit);
        }
    }

    void addAll(final TopConnections other)
    {
        for (int i = 0; i < other.rows.size(); i++)
        {
            if (admits(other.keys.get(i), other.rows.get(i).firstFrame()))
            {
                add(other.keys.get(i), other.rows.get(i));
            }
        }
    }

    List<ConnectionRow> rows()
    {
        return List.copyOf(rows);
    }

    private static boolean before(final long key, final long frame, final long otherKey, final long otherFrame)
    {
        return key > otherKey || key == otherKey && frame < otherFrame;
    }
}
