from django.db.backends.postgresql import base, operations

# PostgreSQL's extended query protocol counts a statement's parameters in 16 bits.
MAX_QUERY_PARAMS = 2**16 - 1


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        if not self.connection.features.uses_server_side_binding:
            return super().bulk_batch_size(fields, objs)
        per_row = max(1, len(fields))
        return max(1, min(len(objs), MAX_QUERY_PARAMS // per_row))


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
