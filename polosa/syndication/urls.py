from django.urls import path

from . import feeds, views

app_name = "syndication"

urlpatterns = [
    path("rss/", feeds.ArticleFeed(), name="rss"),
    path("rss/yandex/", feeds.YandexNewsFeed(), name="yandex"),
    path("rss/sections/<slug:slug>/", feeds.SectionFeed(), name="section_rss"),
    path("rss/tags/<slug:slug>/", feeds.TagFeed(), name="tag_rss"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemaps/<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
