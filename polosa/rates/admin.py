"""Read-only lists of currencies and rates in the Django admin, for operators checking an import.

Rates are the bank's figures: they come only from imports (which invalidate the cache), never from
a form, so nothing here can add, change or delete them.
"""

from django.contrib import admin

from .models import Currency, Rate


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Currency)
class CurrencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "bank_id", "num_code", "name"]
    search_fields = ["code", "bank_id", "name"]


@admin.register(Rate)
class RateAdmin(ReadOnlyAdmin):
    list_display = ["date", "currency", "nominal", "value", "unit_value", "imported_at"]
    list_filter = ["currency"]
    date_hierarchy = "date"
    list_select_related = ["currency"]
