<?xml version="1.0" encoding="UTF-8"?>
<!-- The bench's Zebra indexes, for MARC 21 / KORMARC (245) and UNIMARC (200) records:
     title, author, subject (the fields the FTS5 and PostgreSQL peers index), any (the
     three together), lang (language codes) and decade (e.g. 2010), all word indexes. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="http://www.loc.gov/MARC21/slim"
    xmlns:z="http://indexdata.com/zebra-2.0">
  <xsl:output indent="no" method="xml" encoding="UTF-8"/>

  <xsl:template match="text()"/>

  <xsl:template match="/m:record">
    <xsl:variable name="unimarc" select="boolean(m:datafield[@tag='200'])"/>
    <z:record>
      <xsl:choose>
        <xsl:when test="$unimarc">
          <xsl:for-each select="m:datafield[@tag='200']/m:subfield[@code='a' or @code='e']">
            <z:index name="title:w any:w"><xsl:value-of select="."/></z:index>
          </xsl:for-each>
          <xsl:for-each select="m:datafield[@tag='700' or @tag='701' or @tag='702' or @tag='710' or @tag='711' or @tag='712']/m:subfield[@code='a']">
            <z:index name="author:w any:w"><xsl:value-of select="."/></z:index>
          </xsl:for-each>
          <xsl:for-each select="m:datafield[@tag='101']/m:subfield[@code='a']">
            <z:index name="lang:w"><xsl:value-of select="."/></z:index>
          </xsl:for-each>
          <xsl:call-template name="decade">
            <xsl:with-param name="year" select="substring(m:datafield[@tag='100']/m:subfield[@code='a'], 10, 4)"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="m:datafield[@tag='245' or @tag='246']/m:subfield[@code='a' or @code='b']">
            <z:index name="title:w any:w"><xsl:value-of select="."/></z:index>
          </xsl:for-each>
          <xsl:for-each select="m:datafield[@tag='100' or @tag='110' or @tag='111' or @tag='700' or @tag='710' or @tag='711']/m:subfield[@code='a']">
            <z:index name="author:w any:w"><xsl:value-of select="."/></z:index>
          </xsl:for-each>
          <z:index name="lang:w"><xsl:value-of select="substring(m:controlfield[@tag='008'], 36, 3)"/></z:index>
          <xsl:for-each select="m:datafield[@tag='041']/m:subfield[@code='a']">
            <z:index name="lang:w"><xsl:value-of select="."/></z:index>
          </xsl:for-each>
          <xsl:call-template name="decade">
            <xsl:with-param name="year" select="substring(m:controlfield[@tag='008'], 8, 4)"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="m:datafield[starts-with(@tag, '6')]/m:subfield[@code='a' or @code='x' or @code='y' or @code='z']">
        <z:index name="subject:w any:w"><xsl:value-of select="."/></z:index>
      </xsl:for-each>
    </z:record>
  </xsl:template>

  <xsl:template name="decade">
    <xsl:param name="year"/>
    <xsl:if test="string(number($year)) != 'NaN'">
      <z:index name="decade:w"><xsl:value-of select="floor(number($year) div 10) * 10"/></z:index>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
